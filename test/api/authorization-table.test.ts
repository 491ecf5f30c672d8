/**
 * The authorization table: who may call each route of the API, checked against the real router.
 *
 * Format: one line per route, keyed `METHOD /path/{param}` exactly as /openapi.json writes it (the router's
 * `:param` becomes `{param}`; a wildcard stays `*`). The value is the caller the route admits:
 *   'public'         no token needed
 *   'platform'       a platform token only (users, whatever their role, get 403)
 *   'member'         any member of the account in the path (administrator or agent), or a platform token
 *   'administrator'  an administrator of the account in the path, or a platform token
 *   'user'           any user token, acting for itself (a platform token gets 403)
 *   'signed-in'      any valid token, user or platform; the answer holds only what that token may see
 * Every protected route also names the scope it needs (domain/scopes.ts): `[caller, scope]`, a platform scope
 * on a platform route, else the user token's (a platform token needs `platform:accounts` on those). The long form
 * `{ caller, scope, openapi: false }` marks a route deliberately left out of /openapi.json, and
 * `{ caller, scope, whileSuspended: 'allowed' }` an account write that still answers while the account is suspended.
 *
 * A route the router or the OpenAPI document has and this table lacks fails, naming it; so does an entry for a
 * route that no longer exists, and a route in one of router and document but not the other. Every protected route
 * is then tried with every caller that must be refused (no token, a malformed header or token, unknown, revoked
 * and expired tokens of users and platforms, a removed member's token, another account's administrator, an agent,
 * a user where a platform token is needed and the reverse, a suspended account, another account's objects, and a
 * user and a platform token each lacking exactly the route's scope): each must get its exact status with a
 * problem+json body, and a scope refusal must name the scope in `missing_scope`. A public route must admit every
 * one of those callers. The callers the table admits must not be refused; they
 * send an unreadable body, and a body-less write aims at objects that do not exist, so nothing is written. A new
 * path parameter needs a row in `paramValues` (test/support/authorization.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildWorld,
  objectsOf,
  documentedRoutes,
  lookupRule,
  probeRoute,
  scopeProblem,
  routeOf,
  routerRoutes,
  type AuthorizationTable,
  type OpenApiDocument,
  type Rule,
  type World,
} from '../support/authorization.ts';
import { createApp } from '../../api/app.ts';
import { createLogger } from '../../config/logger.ts';
import type { Sql } from '../../db/pool.ts';
import { useStack } from '../support/stack.ts';
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { Scope } from '../../domain/scopes.ts';

/** Chatwoot's door is documented at /api/v1/openapi.json (test/api/chatwoot-door.test.ts checks it), not /openapi.json. */
const door = (caller: Exclude<Rule['caller'], 'public'>, scope: Scope): Rule => ({ caller, scope, openapi: false });

export const authorizationTable: AuthorizationTable = {
  'GET /healthz': { caller: 'public', openapi: false },
  'GET /readyz': { caller: 'public', openapi: false },
  'GET /openapi.json': { caller: 'public', openapi: false },
  'POST /codec/encode': { caller: 'platform', scope: 'platform:codec', openapi: false },
  'POST /codec/decode': { caller: 'platform', scope: 'platform:codec', openapi: false },
  'POST /codec/session': { caller: 'platform', scope: 'platform:codec', openapi: false },
  'DELETE /codec/session': { caller: 'public', openapi: false },

  'POST /v1/accounts': ['platform', 'platform:accounts'],
  'GET /v1/accounts/{id}': ['member', 'accounts:read'],
  'PATCH /v1/accounts/{id}': { caller: 'platform', scope: 'platform:accounts', whileSuspended: 'allowed' },
  'GET /v1/accounts/{id}/audit_log': ['administrator', 'audit:read'],

  'GET /v1/accounts/{id}/members': ['member', 'members:read'],
  'POST /v1/accounts/{id}/members': ['platform', 'platform:accounts'],
  'PATCH /v1/accounts/{id}/members/{userId}': ['administrator', 'members:manage'],
  'DELETE /v1/accounts/{id}/members/{userId}': ['administrator', 'members:manage'],
  'GET /v1/accounts/{id}/access_tokens': ['administrator', 'tokens:manage'],
  'POST /v1/accounts/{id}/access_tokens': ['member', 'tokens:own'],
  'GET /v1/accounts/{id}/bots': ['administrator', 'members:manage'],
  'POST /v1/accounts/{id}/bots': ['administrator', 'members:manage'],
  'POST /v1/accounts/{id}/bots/{botId}/access_tokens': ['administrator', 'tokens:manage'],
  'DELETE /v1/accounts/{id}/access_tokens/{tokenId}': ['administrator', 'tokens:manage'],

  'GET /v1/accounts/{id}/invitations': ['administrator', 'members:manage'],
  'POST /v1/accounts/{id}/invitations': ['administrator', 'members:manage'],
  'DELETE /v1/accounts/{id}/invitations/{invitationId}': ['administrator', 'members:manage'],
  'POST /v1/invitations/accept': 'public',
  'POST /v1/invitations/{invitationId}/accept': ['user', 'invitations:accept'],

  'GET /v1/accounts/{id}/inboxes': ['member', 'inboxes:read'],
  'POST /v1/accounts/{id}/inboxes': ['administrator', 'inboxes:manage'],
  'PATCH /v1/accounts/{id}/inboxes/{inboxId}': ['administrator', 'inboxes:manage'],
  'POST /v1/accounts/{id}/inboxes/{inboxId}/rotate_secret': ['administrator', 'inboxes:manage'],
  'POST /v1/accounts/{id}/inboxes/{inboxId}/messages': ['member', 'conversations:write'],
  'GET /v1/accounts/{id}/conversations': ['member', 'conversations:read'],
  'POST /v1/accounts/{id}/conversations': ['member', 'conversations:write'],
  'GET /v1/accounts/{id}/conversations/{displayId}': ['member', 'conversations:read'],
  'GET /v1/accounts/{id}/conversations/{displayId}/messages': ['member', 'conversations:read'],
  'POST /v1/accounts/{id}/conversations/{displayId}/messages': ['member', 'conversations:reply'],
  'DELETE /v1/accounts/{id}/conversations/{displayId}/messages/{messageId}': ['member', 'conversations:write'],
  'POST /v1/accounts/{id}/conversations/{displayId}/toggle_status': ['member', 'conversations:write'],
  'POST /v1/accounts/{id}/conversations/{displayId}/assignments': ['member', 'conversations:write'],
  'GET /v1/accounts/{id}/conversations/{displayId}/labels': ['member', 'conversations:read'],
  'POST /v1/accounts/{id}/conversations/{displayId}/labels': ['member', 'conversations:write'],
  'POST /v1/accounts/{id}/conversations/{displayId}/update_last_seen': ['member', 'conversations:write'],
  'GET /v1/accounts/{id}/labels': ['member', 'labels:read'],
  'POST /v1/accounts/{id}/labels': ['administrator', 'labels:manage'],
  'PATCH /v1/accounts/{id}/labels/{labelId}': ['administrator', 'labels:manage'],
  'DELETE /v1/accounts/{id}/labels/{labelId}': ['administrator', 'labels:manage'],
  'GET /v1/accounts/{id}/contacts/{contactId}/labels': ['member', 'labels:read'],
  'POST /v1/accounts/{id}/contacts/{contactId}/labels': ['member', 'labels:apply'],

  'GET /v1/accounts/{id}/contacts': ['member', 'contacts:read'],
  'POST /v1/accounts/{id}/contacts': ['member', 'contacts:write'],
  'GET /v1/accounts/{id}/contacts/search': ['member', 'contacts:read'],
  'GET /v1/accounts/{id}/contacts/{contactId}': ['member', 'contacts:read'],
  'PATCH /v1/accounts/{id}/contacts/{contactId}': ['member', 'contacts:write'],
  'DELETE /v1/accounts/{id}/contacts/{contactId}': ['administrator', 'contacts:write'],
  'GET /v1/accounts/{id}/contacts/{contactId}/conversations': ['member', 'contacts:read'],
  'POST /v1/accounts/{id}/contacts/{contactId}/merge': ['member', 'contacts:write'],

  'GET /v1/accounts/{id}/webhooks': ['administrator', 'webhooks:manage'],
  'POST /v1/accounts/{id}/webhooks': ['administrator', 'webhooks:manage'],
  'GET /v1/accounts/{id}/webhooks/{webhookId}': ['administrator', 'webhooks:manage'],
  'PATCH /v1/accounts/{id}/webhooks/{webhookId}': ['administrator', 'webhooks:manage'],
  'DELETE /v1/accounts/{id}/webhooks/{webhookId}': ['administrator', 'webhooks:manage'],
  'GET /v1/accounts/{id}/webhooks/{webhookId}/deliveries': ['administrator', 'webhooks:manage'],
  'GET /v1/accounts/{id}/webhooks/{webhookId}/deliveries/{deliveryId}': ['administrator', 'webhooks:manage'],

  'GET /v1/platform/tokens': ['platform', 'platform:tokens'],
  'POST /v1/platform/tokens': ['platform', 'platform:tokens'],
  'POST /v1/platform/tokens/{tokenId}/rotate': ['platform', 'platform:tokens'],
  'DELETE /v1/platform/tokens/{tokenId}': ['platform', 'platform:tokens'],
  'GET /v1/license': ['platform', 'platform:licence'],
  'PUT /v1/license': ['platform', 'platform:licence'],
  'POST /v1/license/heartbeat': ['platform', 'platform:licence'],
  'POST /v1/deploys': ['platform', 'platform:deploys'],
  'GET /v1/deploys/{id}': ['platform', 'platform:deploys'],
  'POST /v1/deploys/{id}/cancel': ['platform', 'platform:deploys'],
  'GET /v1/apps/{appId}/deploys': ['platform', 'platform:deploys'],
  'GET /v1/deploys': ['platform', 'platform:deploys'],
  'GET /v1/license/heartbeats': ['platform', 'platform:licence'],
  'GET /v1/accounts': ['signed-in', 'accounts:read'],
  'GET /v1/console/settings': ['signed-in', 'accounts:read'],
  'POST /v1/admin/sign-in-links': ['platform', 'platform:admin'],
  'POST /v1/sign-in-links/redeem': 'public',

  'GET /v1/breakers': ['platform', 'platform:failures'],
  'POST /v1/breakers/{name}/reset': ['platform', 'platform:failures'],
  'GET /v1/dead-letters': ['platform', 'platform:failures'],
  'GET /v1/dead-letters/{id}': ['platform', 'platform:failures'],
  'POST /v1/dead-letters/retry': ['platform', 'platform:failures'],
  'POST /v1/dead-letters/{id}/retry': ['platform', 'platform:failures'],
  'POST /v1/dead-letters/{id}/discard': ['platform', 'platform:failures'],
  'GET /v1/schedules': ['platform', 'platform:schedules'],
  'POST /v1/schedules/{id}/{operation}': ['platform', 'platform:schedules'],
  'POST /v1/admin/promotions': ['platform', 'platform:admin'],
  'POST /v1/admin/promotions/{email}/revoke': ['platform', 'platform:admin'],
  'POST /v1/admin/promotions/{email}/extend': ['platform', 'platform:admin'],
  'POST /v1/admin/force-reset': ['platform', 'platform:admin'],
  'POST /v1/admin/debug-auth': ['platform', 'platform:admin'],
  'GET /v1/assets/builds': ['platform', 'platform:assets'],
  'POST /v1/assets/builds': ['platform', 'platform:assets'],
  'GET /v1/assets/builds/{buildId}': ['platform', 'platform:assets'],
  'GET /v1/assets/runs/{run}': ['platform', 'platform:assets'],
  'GET /v1/assets/manifest': ['platform', 'platform:assets'],
  'POST /v1/assets/rollback': ['platform', 'platform:assets'],
  'POST /v1/assets/gc': ['platform', 'platform:assets'],
  'GET /assets/*': { caller: 'public', openapi: false },
  'GET /console': { caller: 'public', openapi: false },
  'GET /console/*': { caller: 'public', openapi: false },
  'GET /docs': { caller: 'public', openapi: false },
  'GET /docs/reference.js': { caller: 'public', openapi: false },
  'GET /docs/{file}': { caller: 'public', openapi: false },
  'POST /v1/break-glass/activate': ['user', 'break-glass:activate'],
  'GET /v1/admin/grants': ['platform', 'platform:admin'],
  'GET /v1/admin/grants/{grantId}': ['platform', 'platform:admin'],
  'GET /v1/audit_log': ['platform', 'platform:admin'],
  'POST /v1/admin/grants/{grantId}/effects/{effectId}/keep': ['platform', 'platform:admin'],

  'GET /api/v1/openapi.json': { caller: 'public', openapi: false },
  'GET /api/v1/profile': { ...door('user', 'accounts:read'), ownData: true },
  'GET /api/v1/accounts/{id}/agents': door('member', 'members:read'),
  'POST /api/v1/accounts/{id}/agents': door('administrator', 'members:manage'),
  'PATCH /api/v1/accounts/{id}/agents/{userId}': door('administrator', 'members:manage'),
  'DELETE /api/v1/accounts/{id}/agents/{userId}': door('administrator', 'members:manage'),
  'GET /api/v1/accounts/{id}/inboxes': door('member', 'inboxes:read'),
  'POST /api/v1/accounts/{id}/inboxes': door('administrator', 'inboxes:manage'),
  'GET /api/v1/accounts/{id}/inboxes/{inboxId}': door('member', 'inboxes:read'),
  'PATCH /api/v1/accounts/{id}/inboxes/{inboxId}': door('administrator', 'inboxes:manage'),
  'GET /api/v1/accounts/{id}/contacts': door('member', 'contacts:read'),
  'POST /api/v1/accounts/{id}/contacts': door('member', 'contacts:write'),
  'GET /api/v1/accounts/{id}/contacts/search': door('member', 'contacts:read'),
  'GET /api/v1/accounts/{id}/contacts/{contactId}': door('member', 'contacts:read'),
  'PUT /api/v1/accounts/{id}/contacts/{contactId}': door('member', 'contacts:write'),
  'DELETE /api/v1/accounts/{id}/contacts/{contactId}': door('administrator', 'contacts:write'),
  'GET /api/v1/accounts/{id}/contacts/{contactId}/conversations': door('member', 'contacts:read'),
  'POST /api/v1/accounts/{id}/actions/contact_merge': door('member', 'contacts:write'),
  'GET /api/v1/accounts/{id}/conversations': door('member', 'conversations:read'),
  'POST /api/v1/accounts/{id}/conversations': door('member', 'conversations:write'),
  'GET /api/v1/accounts/{id}/conversations/{displayId}': door('member', 'conversations:read'),
  'PATCH /api/v1/accounts/{id}/conversations/{displayId}': door('member', 'conversations:write'),
  'POST /api/v1/accounts/{id}/conversations/{displayId}/toggle_status': door('member', 'conversations:write'),
  'POST /api/v1/accounts/{id}/conversations/{displayId}/assignments': door('member', 'conversations:write'),
  'GET /api/v1/accounts/{id}/conversations/{displayId}/labels': door('member', 'conversations:read'),
  'POST /api/v1/accounts/{id}/conversations/{displayId}/labels': door('member', 'conversations:write'),
  'GET /api/v1/accounts/{id}/conversations/{displayId}/messages': door('member', 'conversations:read'),
  'POST /api/v1/accounts/{id}/conversations/{displayId}/messages': door('member', 'conversations:write'),
  'PATCH /api/v1/accounts/{id}/conversations/{displayId}/messages/{messageId}': door('member', 'conversations:write'),
  'DELETE /api/v1/accounts/{id}/conversations/{displayId}/messages/{messageId}': door('member', 'conversations:write'),
  'GET /api/v1/accounts/{id}/webhooks': door('administrator', 'webhooks:manage'),
  'POST /api/v1/accounts/{id}/webhooks': door('administrator', 'webhooks:manage'),
  'PATCH /api/v1/accounts/{id}/webhooks/{webhookId}': door('administrator', 'webhooks:manage'),
  'DELETE /api/v1/accounts/{id}/webhooks/{webhookId}': door('administrator', 'webhooks:manage'),
};

// Its own database: the probes run a licence heartbeat, installation-wide state no other file should see.
const stack = useStack({ http: true, ownDatabase: true });

// The routes are listed before the stack exists, to make one test per route: the same app, wired to nothing.
const shape = createApp({
  sql: {} as Sql,
  temporal: {} as Client,
  logger: createLogger({ level: 'silent' }),
  codecServer: { codec: {} as PayloadCodec, allowedOrigins: [] },
});
const served = routerRoutes(shape);
const documented = documentedRoutes((await (await shape.request('/openapi.json')).json()) as OpenApiDocument);
const tabled = Object.keys(authorizationTable).sort();

let world: World;
const tally = { routes: 0, refused: 0, allowed: 0 };
let before: unknown[];
beforeAll(async () => {
  world = await buildWorld(stack);
  before = [await objectsOf(stack.sql, world.a), await objectsOf(stack.sql, world.b)];
});
afterAll(() => world?.close());

describe('the authorization table', () => {
  it('has one entry per route the router serves, and no entry for a route that is gone', () => {
    expect(served.length).toBeGreaterThan(40);
    expect(routerRoutes(stack.app), 'the stack serves the routes listed').toEqual(served);
    const missing = served.filter((key) => !authorizationTable[key]);
    const gone = tabled.filter((key) => !served.includes(key));
    expect(missing, 'routes without an entry in authorizationTable').toEqual([]);
    expect(gone, 'entries for routes the router no longer serves').toEqual([]);
  });

  it('matches /openapi.json: every operation is routed, every route documented unless its entry says not', () => {
    const undocumented = served.filter(
      (key) => !documented.has(key) && lookupRule(authorizationTable, key)?.openapi !== false,
    );
    const unrouted = [...documented.keys()].filter((key) => !served.includes(key));
    const wronglyMarked = served.filter(
      (key) => documented.has(key) && lookupRule(authorizationTable, key)?.openapi === false,
    );
    expect(undocumented, 'routes missing from /openapi.json').toEqual([]);
    expect(unrouted, 'operations of /openapi.json the router does not serve').toEqual([]);
    expect(wronglyMarked, 'documented routes marked openapi: false').toEqual([]);
  });

  it('names one scope for every protected route, one its callers may hold, and none for a public route', () => {
    const problems = tabled.flatMap((key) => {
      const problem = scopeProblem(lookupRule(authorizationTable, key)!);
      return problem ? [`${key}: ${problem}`] : [];
    });
    expect(problems).toEqual([]);
  });

  it('documents `security: []` on exactly the public operations', () => {
    for (const [key, op] of documented) {
      const isPublic = lookupRule(authorizationTable, key)?.caller === 'public';
      expect(op.security?.length === 0, key).toBe(isPublic);
    }
  });
});

describe.each(served.filter((key) => authorizationTable[key]))('%s', (key) => {
  it('refuses every caller the table does not admit, and not the ones it does', async () => {
    const route = routeOf(key, documented.get(key));
    const rule = lookupRule(authorizationTable, key)!;
    const outcomes = await probeRoute(stack.api.url, route, rule, world);
    const refusals = outcomes.filter((o) => o.expected !== 'allowed').length;
    const allowed = outcomes.length - refusals;
    Object.assign(tally, {
      routes: tally.routes + 1,
      refused: tally.refused + refusals,
      allowed: tally.allowed + allowed,
    });
    if (rule.caller === 'public') {
      // Public: every caller is admitted, with no token, bad tokens, user and platform tokens alike.
      expect(refusals, 'refusals expected of a public route').toBe(0);
      expect(allowed, 'callers tried on a public route').toBeGreaterThanOrEqual(13);
    } else {
      expect(refusals, 'refusals tried').toBeGreaterThan(7);
      expect(allowed, 'allowed callers tried').toBeGreaterThan(0);
    }
    const failures = outcomes.filter((o) => o.failure).map((o) => `${o.probe}: ${o.failure}`);
    expect(failures, key).toEqual([]);
  });
});

describe('after every probe', () => {
  it("leaves both accounts' objects as they were, and writes no audit row", async () => {
    expect([await objectsOf(stack.sql, world.a), await objectsOf(stack.sql, world.b)]).toEqual(before);
    const written = await stack.sql`select action, account_id from audit_log where id > ${world.auditMark}`;
    expect(written).toEqual([]);
    expect(tally.routes).toBe(served.length);
    console.log(
      `authorization table: ${tally.routes} routes, ${tally.refused} refusals, ${tally.allowed} allowed calls`,
    );
  });
});
