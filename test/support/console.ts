import { createServer, request } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { build } from 'esbuild';

const types: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

/**
 * The console as the API will serve it, until the asset pipeline lands: `web/src/main.tsx` bundled by esbuild
 * into a temporary folder, an HTML shell with `<div id="app">`, and `/v1/*` proxied to the API (same origin).
 */
export async function serveConsole(apiUrl: string) {
  const outdir = await mkdtemp(join(tmpdir(), 'capstan-console-'));
  await build({
    entryPoints: ['web/src/main.tsx'],
    bundle: true,
    outdir,
    format: 'esm',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    sourcemap: true,
    minify: true,
    logLevel: 'silent',
  });
  const shell = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>Capstan console</title><link rel="icon" href="data:,">',
    '<link rel="stylesheet" href="/assets/main.css"><script type="module" src="/assets/main.js"></script>',
    '</head><body><div id="app"></div></body></html>',
  ].join('');
  const api = new URL(apiUrl);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path.startsWith('/v1/')) {
      const upstream = request(
        { host: api.hostname, port: api.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.writeHead(502).end());
      req.pipe(upstream);
      return;
    }
    if (path === '/console' || path.startsWith('/console/')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' }).end(shell);
      return;
    }
    const name = normalize(path.replace(/^\/assets\//, ''));
    if (!path.startsWith('/assets/') || name.includes('..') || name.includes('/')) return void res.writeHead(404).end();
    readFile(join(outdir, name)).then(
      (body) => res.writeHead(200, { 'content-type': types[extname(name)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/console`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(outdir, { recursive: true, force: true });
    },
  };
}
