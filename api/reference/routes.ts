import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';
import { ProblemError } from '../problem/index.ts';

/** Everything the page loads comes from Capstan: no CDN, no inline script or style, no validator badge. */
export const REFERENCE_CSP =
  "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

const swaggerUi = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** The files of swagger-ui-dist the page needs, by the name it asks for them under. */
const vendored: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Capstan API reference</title>
<link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
<link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
<main id="swagger-ui"></main>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/reference.js"></script>
</body>
</html>
`;

// Same origin as the page; validatorUrl null, or Swagger UI asks validator.swagger.io about the document.
const initializer = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
});
`;

/**
 * The API reference at `/docs`: Swagger UI from the installed swagger-ui-dist, rendering `/openapi.json`.
 * Public, as `/openapi.json` is: the document says what the API accepts, never what it holds.
 */
export function referenceRoutes() {
  const app = new Hono();
  const files = new Map<string, Promise<Buffer>>();
  const headers = (type: string) => ({
    'Content-Type': type,
    'Content-Security-Policy': REFERENCE_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'public, max-age=3600',
  });

  app.get('/docs', (c) => c.body(page, 200, { ...headers('text/html; charset=utf-8'), 'Cache-Control': 'no-cache' }));
  app.get('/docs/reference.js', (c) => c.body(initializer, 200, headers('text/javascript; charset=utf-8')));
  app.get('/docs/:file', async (c) => {
    const name = c.req.param('file');
    const type = Object.hasOwn(vendored, name) ? vendored[name] : undefined;
    if (!type) throw new ProblemError('notFound', `No file ${name} in the API reference.`);
    if (!files.has(name)) files.set(name, readFile(join(swaggerUi, name)));
    return c.body(new Uint8Array(await files.get(name)!), 200, headers(type));
  });
  return app;
}
