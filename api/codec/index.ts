import type { PayloadCodec } from '@temporalio/common';
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import type { Logger } from '../../config/logger.ts';
import type { Sql } from '../../db/pool.ts';
import { lookupToken, lookupTokenById } from '../../db/tokens.ts';
import { PayloadDecryptionError } from '../../workers/codec.ts';
import { readToken, tokenRefusal } from '../auth/index.ts';
import { requireScope } from '../auth/scope.ts';
import { fieldErrors, ProblemError } from '../problem/index.ts';
import { createErrorHandler } from '../problem/on-error.ts';
import { fromJson, payloadsBody, toJson } from './payload-json.ts';
import { codecSessions } from './session.ts';

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** Browser origins (the Temporal Web UI) that may call it, with credentials. */
  allowedOrigins: readonly string[];
}

/**
 * Temporal's codec server contract (`POST …/encode`, `POST …/decode`, `{payloads}` in
 * protobuf JSON) for the Web UI and `temporal --codec-endpoint`. Decoding shows customer
 * data, so it answers platform tokens only, whatever the rest of the API accepts: sent as
 * `Authorization: Bearer`, or through the codec session the console opens (session.ts).
 * An `Origin` header only narrows who may call; it never stands in for a credential.
 */
export function codecRoutes({ sql, logger, codec, allowedOrigins }: CodecServerOptions & { sql: Sql; logger: Logger }) {
  const app = new Hono();
  const log = logger.child({ component: 'codec-server' });
  app.onError(createErrorHandler(log));
  app.use(
    cors({
      origin: [...allowedOrigins],
      allowMethods: ['POST', 'OPTIONS'],
      allowHeaders: ['Authorization', 'Content-Type', 'X-Namespace', 'Authorization-Extras'],
      credentials: true,
      maxAge: 600,
    }),
  );
  const sessions = codecSessions(sql);
  app.use(platformOnly(sql, allowedOrigins, sessions));
  app.use(bodyLimit({ maxSize: 16 * 1024 * 1024 }));

  // The console (same origin as the API) opens a session with its platform token, and closes it on sign-out.
  app.post('/session', async (c) => {
    const principal = c.get('principal');
    if (!principal || c.get('codecSession'))
      throw new ProblemError('unauthenticated', 'Open a codec session with `Authorization: Bearer <platform token>`.');
    await sessions.open(c, principal.tokenId);
    log.info({ tokenId: principal.tokenId }, 'codec session opened');
    return c.body(null, 204);
  });
  app.delete('/session', (c) => {
    sessions.close(c);
    return c.body(null, 204);
  });

  for (const action of ['encode', 'decode'] as const) {
    app.post(`/${action}`, async (c) => {
      const body = await c.req.json().catch(() => {
        throw new ProblemError('malformed', 'Send {"payloads": [...]} as JSON.');
      });
      const parsed = payloadsBody.safeParse(body);
      if (!parsed.success)
        throw new ProblemError(
          'validation',
          'Expected {"payloads": [{"metadata": {…}, "data": "…"}]} with base64 bytes.',
          { errors: fieldErrors(parsed.error) },
        );
      const payloads = parsed.data.payloads.map(fromJson);
      try {
        const result = action === 'encode' ? await codec.encode(payloads) : await codec.decode(payloads);
        const principal = c.get('principal');
        log.info(
          {
            action,
            count: payloads.length,
            namespace: c.req.header('x-namespace'),
            tokenId: principal?.tokenId,
            via: c.get('codecSession') ? 'session' : 'token',
          },
          'codec request',
        );
        return c.json({ payloads: result.map(toJson) });
      } catch (err) {
        if (err instanceof PayloadDecryptionError) throw new ProblemError('validation', err.message);
        throw err;
      }
    });
  }
  return app;
}

declare module 'hono' {
  interface ContextVariableMap {
    /** The request was let in by a codec session cookie, not a token it carried. */
    codecSession?: boolean;
  }
}

/** A platform token, as `Authorization: Bearer` or a codec session; and, from a browser, one of the allowed origins. */
function platformOnly(
  sql: Sql,
  allowedOrigins: readonly string[],
  sessions: ReturnType<typeof codecSessions>,
): MiddlewareHandler {
  return async function requirePlatformToken(c, next) {
    const origin = c.req.header('origin');
    // The console is served by the API itself: its own host (opening the session) is always allowed. By host, not
    // origin: behind a proxy that ends TLS the API sees http:// where the browser sent https://.
    if (origin && !allowedOrigins.includes(origin) && !sameHost(origin, c.req.url))
      throw new ProblemError(
        'forbidden',
        `Origin ${origin} may not call the codec server; add it to CAPSTAN_CODEC_CORS_ORIGINS.`,
      );
    // Closing a session needs no credential: it only clears the caller's own cookie.
    if (c.req.method === 'DELETE') return next();
    const token = readToken(c.req);
    const sessionToken = token ? undefined : await sessions.tokenOf(c);
    if (!token && sessionToken === undefined)
      throw new ProblemError(
        'unauthenticated',
        'Send a platform token as `Authorization: Bearer <token>`, or sign in to the console first.',
      );
    // A session's token is looked up by the same rule as one sent: still live, still the operator's, with the scope.
    const found = token ? await lookupToken(sql, token) : await lookupTokenById(sql, sessionToken!);
    if (found.outcome !== 'ok') throw new ProblemError('unauthenticated', tokenRefusal[found.outcome]);
    c.set('principal', found.principal);
    c.set('codecSession', !token);
    const principal = found.principal;
    if (principal.kind !== 'platform')
      throw new ProblemError('forbidden', 'The codec server answers platform tokens only.');
    // The scope first, so a refusal for it names it; then only the operator's app: decoding shows every account's data.
    requireScope(principal, 'platform:codec');
    if (!principal.operator)
      throw new ProblemError(
        'forbidden',
        "The codec server answers the operator's platform tokens only: decoding shows every account's data.",
      );
    await next();
  };
}

function sameHost(origin: string, url: string): boolean {
  try {
    return new URL(origin).host === new URL(url).host;
  } catch {
    return false; // `Origin: null` and other non-URLs
  }
}
