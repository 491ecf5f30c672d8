import { OpenAPIHono } from '@hono/zod-openapi';
import type { Client } from '@temporalio/client';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import type { Logger } from '../config/logger.ts';
import type { Sql } from '../db/pool.ts';
import { accountRoutes } from './accounts/routes.ts';
import { adminRoutes } from './admin/routes.ts';
import { breakGlassRoutes } from './admin/break-glass.ts';
import { REDEEM_PATH, signInLinkRoutes } from './sign-in-links/routes.ts';
import { botRoutes } from './bots/routes.ts';
import { authenticate } from './auth/index.ts';
import { contactRoutes } from './contacts/routes.ts';
import { conversationRoutes } from './conversations/routes.ts';
import { conversationLifecycleRoutes } from './conversations/lifecycle-routes.ts';
import { conversationWriteRoutes } from './conversations/write-routes.ts';
import { labelRoutes } from './labels/routes.ts';
import { inboxRoutes } from './inboxes/routes.ts';
import { inboxUpdateRoute } from './inboxes/update-route.ts';
import { memberRoutes } from './members/routes.ts';
import { invitationRoutes } from './invitations/routes.ts';
import { platformRoutes } from './platform/routes.ts';
import { breakerRoutes } from './breakers/routes.ts';
import type { Principal } from '../db/tokens.ts';
import { webhookRoutes } from './webhooks/routes.ts';
import { deployRoutes } from './deploys/routes.ts';
import { deadLetterRoutes } from './dead-letters/routes.ts';
import { scheduleRoutes } from './schedules/routes.ts';

import { chatwootDoor } from './chatwoot/index.ts';
import { consoleRoutes } from './console/routes.ts';
import { licenceRoutes } from './licence/routes.ts';
import { auditLogRoutes } from './accounts/audit-log.ts';
import { installationAuditRoutes } from './audit/routes.ts';
import { licenceSettings, type LicenceSettings } from '../config/licence.ts';
import { loadEnv } from '../config/env.ts';
import { rateLimits, type RateLimits } from '../config/limits.ts';
import { postgresRateLimiter } from '../db/rate-limits.ts';
import { rateLimit } from './rate-limit/index.ts';
import { clientAddressOf } from './rate-limit/client-address.ts';
import { healthRoutes } from './health/routes.ts';
import { apiMetrics, type ApiMetrics } from './metrics/index.ts';
import { codecRoutes, type CodecServerOptions } from './codec/index.ts';
import { requestLogging } from './logging/index.ts';
import { methodNotAllowedFirst, notFoundOrMethodNotAllowed } from './method-not-allowed.ts';
import { documentProblems } from './problem/document.ts';
import { ProblemError, problemResponse } from './problem/index.ts';
import { createErrorHandler } from './problem/on-error.ts';
import { validationHook } from './validation.ts';
import { assetRoutes } from './assets/routes.ts';
import { assetServing } from './assets/serve.ts';
import { referenceRoutes } from './reference/routes.ts';
import { assetSettings, type AssetSettings } from '../config/assets.ts';
import { createOrigin, type AssetOrigin } from '../db/asset-origins.ts';

export interface AppDeps {
  sql: Sql;
  temporal: Client;
  logger: Logger;
  /** How long a write waits for its workflow before answering 202 (default 20 s). */
  workflowWaitMs?: number;
  /** The Temporal Web UI, for links in deploy answers. */
  webUiUrl?: string;
  deployPollIntervalMs?: number;
  /** Licence verification and the licensing server; defaults to the vendor's keys. */
  licence?: LicenceSettings;
  /** The payload codec and the Web UI's origins: serves `/codec/encode|decode` when set. */
  codecServer?: CodecServerOptions;
  /** Request budgets per token and per address (429 beyond). */
  rateLimits?: RateLimits;
  /** Larger request bodies to /v1 answer 413 (API_BODY_LIMIT_BYTES, default 1 MiB). */
  bodyLimitBytes?: number;
  /** Front-end assets: the origin `/assets/*` is served from, the console's entry and public prefix. */
  assets?: AssetSettings;
  /** The origin itself, when the caller already made one (default: from `assets.origin`). */
  assetOrigin?: AssetOrigin;
  /** Request metrics; the caller serves `metrics.app` on its own port (default: counted, served nowhere). */
  metrics?: ApiMetrics;
}

export function createApp({
  sql,
  temporal,
  logger,
  workflowWaitMs = 20_000,
  webUiUrl,
  deployPollIntervalMs,
  licence = licenceSettings(loadEnv({})),
  codecServer,
  rateLimits: budgets = rateLimits(loadEnv({})),
  bodyLimitBytes = loadEnv({}).API_BODY_LIMIT_BYTES,
  assets = assetSettings(loadEnv({})),
  assetOrigin = createOrigin(assets.origin),
  metrics = apiMetrics({ sql, licence, logger: logger.child({ component: 'api' }) }),
}: AppDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  const apiLogger = logger.child({ component: 'api' });

  app.use(metrics.middleware);
  app.use(requestId({ headerName: 'X-Request-Id' }));
  app.use(requestLogging(apiLogger));
  app.onError(createErrorHandler(apiLogger));
  app.notFound(notFoundOrMethodNotAllowed(app));
  app.use('/v1/*', methodNotAllowedFirst(app));
  // /v1 only: the codec server takes Temporal payloads, larger, under its own limit. The unread
  // rest of a refused body makes the connection unusable, so the client is told not to reuse it.
  const tooLargeError = () => new ProblemError('payloadTooLarge', `Send at most ${bodyLimitBytes} bytes.`);
  const tooLarge = tooLargeError().problem;
  app.use(
    '/v1/*',
    bodyLimit({ maxSize: bodyLimitBytes, onError: (c) => problemResponse(c, tooLarge, { Connection: 'close' }) }),
  );
  // The same for any answer given before the body was read (a refusal by authentication or access): the client
  // must not send its next request down a connection still carrying the rest of this one's body.
  const closeIfBodyUnread: MiddlewareHandler = async function closeIfBodyUnread(c, next) {
    await next();
    if (c.req.raw.body && !c.req.raw.bodyUsed) c.header('Connection', 'close');
  };
  app.use('/v1/*', closeIfBodyUnread);

  // The address pays before its token is looked up, so guessing tokens costs the guesser, not PostgreSQL.
  const window = { durationSeconds: budgets.windowSeconds };
  const perAddress = postgresRateLimiter(sql, { ...window, points: budgets.perAddress, keyPrefix: 'address' });
  const perToken = postgresRateLimiter(sql, { ...window, points: budgets.perToken, keyPrefix: 'token' });
  const byAddress = rateLimit({
    limiter: perAddress,
    keyOf: clientAddressOf(budgets.trustedProxies),
    scope: 'from this address',
  });

  app.route('/', healthRoutes({ sql, temporal }));
  app.route('/', assetServing({ sql, origin: assetOrigin, settings: assets }));
  app.route('/', referenceRoutes());
  if (codecServer) {
    // Decoding costs a key lookup and a decryption per payload: the same budget as the API's.
    app.use('/codec/*', byAddress);
    app.route('/codec', codecRoutes({ sql, logger, ...codecServer }));
  }

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiAccessToken', {
    type: 'apiKey',
    in: 'header',
    name: 'api_access_token',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Capstan API',
      version: '0.1.0',
      description: 'Every write runs as a Temporal workflow. Errors are application/problem+json (RFC 9457).',
    },
  });

  app.use('/v1/*', byAddress);
  const signIn = authenticate(sql);
  // Accepting an invitation or redeeming a sign-in link is how a user gets a token: the link's secret authenticates it.
  const byLink = new Set(['/v1/invitations/accept', REDEEM_PATH]);
  app.use('/v1/*', (c, next) => (byLink.has(c.req.path) ? next() : signIn(c, next)));
  const byToken = rateLimit({
    limiter: perToken,
    // Break-glass tokens are numbered apart from access tokens: their buckets are named apart too.
    keyOf: (c) => {
      const p = c.var.principal as Principal | undefined;
      return p && (p.kind === 'breakGlass' ? `bg${p.tokenId}` : p.tokenId.toString());
    },
    scope: 'for this token',
  });
  app.use('/v1/*', byToken);
  const deps = { sql, temporal, workflowWaitMs };
  // Chatwoot's door: the same limits, budgets and sign-in as /v1, spent from the same buckets; its own error shapes.
  const doorBodyLimit = bodyLimit({
    maxSize: bodyLimitBytes,
    onError: () => {
      throw tooLargeError();
    },
  });
  app.route(
    '/',
    chatwootDoor({
      ...deps,
      logger: apiLogger,
      guards: [closeIfBodyUnread, doorBodyLimit, byAddress, signIn, byToken],
    }),
  );
  app.route('/', accountRoutes(deps));
  app.route('/', memberRoutes(deps));
  app.route('/', invitationRoutes(deps));
  app.route('/', platformRoutes(deps));
  app.route('/', adminRoutes(deps));
  app.route('/', breakerRoutes(deps));
  app.route('/', inboxRoutes(deps));
  app.route('/', inboxUpdateRoute(deps));
  app.route('/', conversationRoutes(deps));
  app.route('/', contactRoutes(deps));
  app.route('/', conversationLifecycleRoutes(deps));
  app.route('/', conversationWriteRoutes(deps));
  app.route('/', labelRoutes(deps));
  app.route('/', webhookRoutes(deps));
  app.route('/', licenceRoutes({ sql, temporal, settings: licence }));
  app.route('/', auditLogRoutes({ sql }));
  app.route('/', installationAuditRoutes({ sql }));
  app.route('/', deployRoutes({ sql, temporal, webUiUrl, pollIntervalMs: deployPollIntervalMs }));
  app.route('/', deadLetterRoutes({ ...deps, webUiUrl }));
  app.route('/', scheduleRoutes(deps));
  app.route('/', signInLinkRoutes(deps));
  app.route('/', botRoutes(deps));

  app.route('/', consoleRoutes({ temporal, webUiUrl }));

  app.route('/', assetRoutes({ sql, temporal, settings: assets, workflowWaitMs }));
  app.route('/', breakGlassRoutes(deps));
  documentProblems(app.openAPIRegistry);

  return app;
}

export type CapstanApp = ReturnType<typeof createApp>;
