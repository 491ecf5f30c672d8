import type { PayloadCodec } from '@temporalio/common';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import type { Logger } from '../../config/logger.ts';
import type { Sql } from '../../db/pool.ts';
import { lookupToken } from '../../db/tokens.ts';
import { PayloadDecryptionError } from '../../workers/codec.ts';
import { readToken } from '../auth/index.ts';
import { requireScope } from '../auth/scope.ts';
import { fieldErrors, ProblemError } from '../problem/index.ts';
import { createErrorHandler } from '../problem/on-error.ts';
import { fromJson, payloadsBody, toJson } from './payload-json.ts';

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** Browser origins (the Temporal Web UI) that may call it, with credentials. */
  allowedOrigins: readonly string[];
  /**
   * The local stack's own Web UI (`capstan up`), which has no sign-in and so no token to send:
   * its origin, from a loopback address, may decode without one. Never set in production.
   */
  localUiOrigins?: readonly string[];
}

/**
 * Temporal's codec server contract (`POST …/encode`, `POST …/decode`, `{payloads}` in
 * protobuf JSON) for the Web UI and `temporal --codec-endpoint`. Decoding shows customer
 * data, so it answers platform tokens only, whatever the rest of the API accepts.
 */
export function codecRoutes({
  sql,
  logger,
  codec,
  allowedOrigins,
  localUiOrigins = [],
}: CodecServerOptions & { sql: Sql; logger: Logger }) {
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
  app.use(platformOnly(sql, allowedOrigins, localUiOrigins));
  app.use(bodyLimit({ maxSize: 16 * 1024 * 1024 }));

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
            tokenId: principal?.tokenId ?? 'local-web-ui',
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

/** A platform token, sent as `Authorization: Bearer`; and, from a browser, one of the allowed origins. */
function platformOnly(
  sql: Sql,
  allowedOrigins: readonly string[],
  localUiOrigins: readonly string[],
): MiddlewareHandler {
  return async function requirePlatformToken(c, next) {
    const origin = c.req.header('origin');
    if (origin && !allowedOrigins.includes(origin))
      throw new ProblemError(
        'forbidden',
        `Origin ${origin} may not call the codec server; add it to CAPSTAN_CODEC_CORS_ORIGINS.`,
      );
    const token = readToken(c.req);
    if (!token && origin && localUiOrigins.includes(origin) && fromLoopback(c)) return next();
    if (!token) throw new ProblemError('unauthenticated', 'Send a platform token as `Authorization: Bearer <token>`.');
    const found = await lookupToken(sql, token);
    if (found.outcome !== 'ok')
      throw new ProblemError(
        'unauthenticated',
        found.outcome === 'revoked' ? 'This access token has been revoked.' : 'This access token is not known.',
      );
    if (found.principal.kind !== 'platform' || !found.principal.operator)
      throw new ProblemError(
        'forbidden',
        "The codec server answers the operator's platform tokens only: decoding shows every account's data.",
      );
    requireScope(found.principal, 'platform:codec');
    c.set('principal', found.principal);
    await next();
  };
}

function fromLoopback(c: Context): boolean {
  try {
    const address = getConnInfo(c).remote.address ?? '';
    return address === '::1' || address.startsWith('127.') || address === '::ffff:127.0.0.1';
  } catch {
    return false; // not served over a socket (app.request in tests): no address to trust
  }
}
