import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import { expect } from 'vitest';
import { isPlatformScope, platformScopeNames, scopesFor, userScopeNames, type Scope } from '../../domain/scopes.ts';
import { invite, join, newAccount, newInbox, type AccountFixture } from './fixtures.ts';
import { call, type Answer } from './http.ts';
import { startReceiver, until } from './receiver.ts';
import { unique, type TestStack } from './stack.ts';

/** Who may call a route; platform tokens pass `member` and `administrator` too, as `accountAccess` lets them. */
export type Caller =
  | 'public' // no token needed
  | 'platform' // a platform token only
  | 'member' // any member of the account in the path (administrator or agent)
  | 'administrator' // an administrator of the account in the path
  | 'user' // any user token, acting for itself (a platform token is refused)
  | 'signed-in'; // any valid token, user or platform: the answer is scoped to what the token may see

export interface Rule {
  caller: Caller;
  /**
   * The scope the route needs (domain/scopes.ts): a platform scope on platform routes, else the user token's.
   * A platform token needs `platform:accounts` on every other protected route. Public routes have none.
   */
  scope?: Scope;
  /** The route is served but deliberately left out of /openapi.json (probes, metrics, the codec server). */
  openapi?: false;
  /** A write that still answers while the account is suspended (default: 423 for account writes). */
  whileSuspended?: 'allowed';
  /** A `user` route answering the caller's own data: another account's administrator gets theirs, not a 404. */
  ownData?: true;
}

/** `'public'`, `[caller, scope]`, or a whole rule. */
export type AuthorizationTable = Record<string, 'public' | [Exclude<Caller, 'public'>, Scope] | Rule>;

export interface Route {
  /** `METHOD /path/{param}`, the table's key. */
  key: string;
  method: string;
  path: string;
  params: string[];
  hasBody: boolean;
}

const ruleOf = (entry: AuthorizationTable[string]): Rule =>
  typeof entry === 'string' ? { caller: entry } : Array.isArray(entry) ? { caller: entry[0], scope: entry[1] } : entry;
export const lookupRule = (table: AuthorizationTable, key: string): Rule | undefined =>
  table[key] === undefined ? undefined : ruleOf(table[key]);

/** The scope a platform token needs on this route, if the route admits platform tokens. */
export const platformScopeOf = (rule: Rule): Scope | undefined =>
  rule.caller === 'platform'
    ? rule.scope
    : ['member', 'administrator', 'signed-in'].includes(rule.caller)
      ? 'platform:accounts'
      : undefined;
/** The scope a user token needs on this route, if the route admits user tokens. */
export const userScopeOf = (rule: Rule): Scope | undefined =>
  rule.caller === 'platform' || rule.caller === 'public' ? undefined : rule.scope;

/** What is wrong with a rule's scope: missing, on a public route, or one its callers may not hold. */
export function scopeProblem(rule: Rule): string | undefined {
  if (rule.caller === 'public') return rule.scope ? 'a public route needs no scope' : undefined;
  if (!rule.scope) return 'no scope declared';
  if ((rule.caller === 'platform') !== isPlatformScope(rule.scope))
    return `${rule.scope} is not a scope ${rule.caller === 'platform' ? 'platform' : 'user'} tokens carry`;
  if (rule.caller === 'member' && !scopesFor('agent').includes(rule.scope))
    return `agents may not hold ${rule.scope}, yet the route admits them`;
  return undefined;
}

/** Hono's `/v1/accounts/:id` (and `:id{regex}`) as OpenAPI's `/v1/accounts/{id}`. */
const openApiPath = (honoPath: string) => honoPath.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}');

/** Every route the router serves; middleware (`ALL`) is not a route. */
export function routerRoutes(app: Hono): string[] {
  const keys = app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${openApiPath(r.path)}`);
  return [...new Set(keys)].sort();
}

interface Operation {
  requestBody?: unknown;
  security?: unknown[];
}
export type OpenApiDocument = { paths: Record<string, Record<string, Operation>> };

export function documentedRoutes(doc: OpenApiDocument): Map<string, Operation> {
  const entries = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => [`${method.toUpperCase()} ${path}`, op] as const),
  );
  return new Map(entries);
}

export function routeOf(key: string, op: Operation | undefined): Route {
  const [method, path] = key.split(' ') as [string, string];
  const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  // Undocumented POSTs (the codec server) take a body.
  const hasBody = op ? op.requestBody !== undefined : !['GET', 'DELETE'].includes(method);
  return { key, method, path, params, hasBody };
}

const isAccountRoute = (route: Route) =>
  route.path.startsWith('/v1/accounts/{id}') || route.path.startsWith('/api/v1/accounts/{id}');
/** Chatwoot's door (api/chatwoot) refuses with Chatwoot's `{"error": …}` bodies, not problem+json. */
const isChatwootDoor = (route: Route) => route.path.startsWith('/api/v1/');

/** Everything the probes need: accounts, members, the tokens to try, and real objects to put in paths. */
export interface World {
  a: AccountFixture & {
    agentToken: string;
    agentId: number;
    inboxId: number;
    displayId: number;
    webhookId: number;
    deliveryId: string;
    invitationId: number;
    tokenId: number;
    botId: number;
    contactId: number;
    labelId: number;
    messageId: number;
  };
  /** Another account, built the same way: its administrator, and its objects for cross-tenant paths. */
  b: World['a'];
  suspended: AccountFixture;
  platformToken: string;
  platformTokenId: number;
  revokedUserToken: string;
  revokedPlatformToken: string;
  expiredToken: string;
  expiredPlatformToken: string;
  removedMemberToken: string;
  /** For every scope, a token that carries every other scope of its kind (A's administrator's, or a platform token). */
  lacking: Map<Scope, string>;
  /** The last audit row written while the world was built. */
  auditMark: number;
  close(): Promise<void>;
}

/** The state of an account's objects the probes aim at: refused and allowed probes alike must leave it as it was. */
export async function objectsOf(sql: TestStack['sql'], of: World['a']) {
  return sql`
    select (select role from account_users where account_id = ${of.accountId} and user_id = ${of.agentId}) as agent_role,
           (select revoked_at is null from access_tokens where id = ${of.tokenId}) as token_live,
           (select revoked_at is null and accepted_at is null from invitations where id = ${of.invitationId}) as invitation_pending,
           (select count(*)::int from webhooks where id = ${of.webhookId}) as webhooks,
           (select count(*)::int from inboxes where id = ${of.inboxId}) as inboxes,
           (select count(*)::int from contacts where id = ${of.contactId}) as contacts,
           (select row(status, assignee_id, label_list, agent_last_seen_at)::text from conversations
             where account_id = ${of.accountId} and display_id = ${of.displayId}) as conversation,
           (select label_list from contacts where id = ${of.contactId}) as contact_labels,
           (select row(title, color, show_on_sidebar)::text from labels where id = ${of.labelId}) as label,
           (select count(*)::int from access_tokens where owner_type = 'User' and owner_id = ${of.agentId}) as agent_tokens`;
}

async function populated(stack: TestStack, label: string, hookUrl: string): Promise<World['a']> {
  const account = await newAccount(stack, label);
  const base = `/v1/accounts/${account.accountId}`;
  const agent = await join(stack, account, 'agent');
  const inboxId = await newInbox(account);
  const hook = await account.api('POST', `${base}/webhooks`, {
    body: { url: hookUrl, subscriptions: ['message_created'] },
  });
  expect(hook.status, JSON.stringify(hook.body)).toBe(201);
  const posted = await account.api('POST', `${base}/inboxes/${inboxId}/messages`, {
    body: { contact: { identifier: unique('contact') }, content: 'authorization probe' },
  });
  expect(posted.status, JSON.stringify(posted.body)).toBe(201);
  const [conversation] = await stack.sql<{ display_id: number; contact_id: number }[]>`
    select display_id, contact_id from conversations where account_id = ${account.accountId}`;
  const madeLabel = await account.api('POST', `${base}/labels`, { body: { title: 'probe' } });
  expect(madeLabel.status, JSON.stringify(madeLabel.body)).toBe(201);
  const [message] = await stack.sql<{ id: number }[]>`
    select id from messages where account_id = ${account.accountId}`;
  const delivery = await until('a webhook delivery', async () => {
    const [row] = await stack.sql<
      { id: string }[]
    >`select id from webhook_deliveries where webhook_id = ${hook.body.id}`;
    return row;
  });
  // Pending, its mail out (the mail writes an audit row: before the world's audit mark, not after it).
  const { invitation: invited } = await invite(stack, account, `${unique('pending')}@example.test`);
  // A token is made by its holder: the agent's own spare.
  const token = await call(stack.api.url, 'POST', `${base}/access_tokens`, {
    token: agent.token,
    body: { name: 'spare' },
  });
  expect(token.status, JSON.stringify(token.body)).toBe(201);
  const bot = await account.api('POST', `${base}/bots`, { body: { name: 'probe bot' } });
  expect(bot.status, JSON.stringify(bot.body)).toBe(201);
  return {
    ...account,
    agentToken: agent.token,
    agentId: agent.userId,
    inboxId,
    displayId: conversation!.display_id,
    webhookId: hook.body.id,
    deliveryId: delivery.id,
    invitationId: invited.id,
    tokenId: token.body.id,
    botId: bot.body.id,
    contactId: conversation!.contact_id,
    labelId: madeLabel.body.id,
    messageId: message!.id,
  };
}

export async function buildWorld(stack: TestStack): Promise<World> {
  const receiver = await startReceiver();
  const platform = (method: string, path: string, body?: unknown) =>
    call(stack.api.url, method, path, { token: stack.platformToken, body });
  const a = await populated(stack, 'authz-a', receiver.url);
  const b = await populated(stack, 'authz-b', receiver.url);

  const suspended = await newAccount(stack, 'authz-suspended');
  const suspend = await platform('PATCH', `/v1/accounts/${suspended.accountId}`, {
    status: 'suspended',
    reason: 'authz',
  });
  expect(suspend.status, JSON.stringify(suspend.body)).toBe(200);

  const userToken = async (name: string) => {
    const made = await call(stack.api.url, 'POST', `/v1/accounts/${a.accountId}/access_tokens`, {
      token: a.agentToken,
      body: { name },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    return made.body as { id: number; token: string };
  };
  const revokedUser = await userToken('revoked');
  expect((await a.api('DELETE', `/v1/accounts/${a.accountId}/access_tokens/${revokedUser.id}`)).status).toBe(200);
  const expired = await userToken('expired');
  await stack.sql`update access_tokens set expires_at = now() - interval '1 minute' where id = ${expired.id}`;
  const removed = await join(stack, a, 'agent');
  expect((await a.api('DELETE', `/v1/accounts/${a.accountId}/members/${removed.userId}`)).status).toBe(204);

  const platformToken = async () => {
    const made = await platform('POST', '/v1/platform/tokens', { app: unique('authz'), name: 'probe' });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    return made.body as { id: number; token: string };
  };
  const revokedPlatform = await platformToken();
  expect((await platform('DELETE', `/v1/platform/tokens/${revokedPlatform.id}`)).status).toBe(200);
  const sparePlatform = await platformToken();
  const expiredPlatform = await platformToken();
  await stack.sql`update access_tokens set expires_at = now() - interval '1 minute' where id = ${expiredPlatform.id}`;
  const lacking = new Map<Scope, string>();
  for (const scope of userScopeNames) {
    const made = await a.api('POST', `/v1/accounts/${a.accountId}/access_tokens`, {
      body: { name: `lacks ${scope}`, user_id: a.adminId, scopes: userScopeNames.filter((s) => s !== scope) },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    lacking.set(scope, made.body.token);
  }
  for (const scope of platformScopeNames) {
    const scopes = platformScopeNames.filter((s) => s !== scope);
    const made = await platform('POST', '/v1/platform/tokens', { app: unique('authz'), name: 'probe', scopes });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    lacking.set(scope, made.body.token);
  }
  const [{ mark }] = (await stack.sql`select coalesce(max(id), 0)::int as mark from audit_log`) as unknown as [
    { mark: number },
  ];

  return {
    a,
    b,
    suspended,
    platformToken: stack.platformToken,
    platformTokenId: sparePlatform.id,
    revokedUserToken: revokedUser.token,
    revokedPlatformToken: revokedPlatform.token,
    expiredToken: expired.token,
    expiredPlatformToken: expiredPlatform.token,
    removedMemberToken: removed.token,
    lacking,
    auditMark: mark,
    close: receiver.close,
  };
}

/**
 * The value of each path parameter: the first row whose path prefix matches wins, so put specific rows
 * first. Objects are account A's; `{id}` is the account under /v1/accounts.
 */
type ParamValue = (w: World, of: World['a']) => string | number;
export const paramValues: Array<[prefix: string, param: string, value: ParamValue]> = [
  ['/v1/platform/tokens/', 'tokenId', (w) => w.platformTokenId],
  ['/v1/deploys/', 'id', () => 'orga_authz:app_authz'],
  ['/v1/dead-letters/', 'id', () => 1],
  ['/v1/assets/', 'buildId', () => 1],
  ['/v1/assets/', 'run', () => 'absent'],
  ['/v1/schedules/', 'id', () => 'licence-heartbeat'],
  ['/v1/schedules/', 'operation', () => 'pause'],
  ['/v1/breakers/', 'name', () => 'clever-cloud'],
  ['/docs/', 'file', () => 'swagger-ui.css'],
  ['/v1/admin/', 'email', () => 'nobody@example.test'],
  ['/v1/apps/', 'appId', () => 'app_authz'],
  ['/v1/accounts/{id}', 'id', (_, of) => of.accountId],
  ['', 'userId', (_, of) => of.agentId],
  ['', 'tokenId', (_, of) => of.tokenId],
  ['', 'botId', (_, of) => of.botId],
  ['', 'contactId', (_, of) => of.contactId],
  ['', 'invitationId', (_, of) => of.invitationId],
  ['', 'inboxId', (_, of) => of.inboxId],
  ['', 'displayId', (_, of) => of.displayId],
  ['', 'webhookId', (_, of) => of.webhookId],
  ['', 'deliveryId', (_, of) => of.deliveryId],
  ['/api/v1/accounts/{id}', 'id', (_, of) => of.accountId],
  ['', 'contactId', (_, of) => of.contactId],
  ['', 'labelId', (_, of) => of.labelId],
  ['', 'messageId', (_, of) => of.messageId],
  ['/v1/admin/', 'grantId', () => 1],
  ['/v1/admin/', 'effectId', () => 1],
];

/** Display ids count per account, so B's number names one of A's conversations: not a cross-tenant object. */
const perAccountParams = new Set(['id', 'displayId']);

function valueOf(route: Route, param: string, world: World, of: World['a']): string | number {
  const row = paramValues.find(([prefix, name]) => name === param && route.path.startsWith(prefix));
  if (!row) throw new Error(`${route.key}: no value for {${param}}; add a row to paramValues`);
  return row[2](world, of);
}

/** One that exists nowhere, of the same shape, so a write aimed at it changes nothing. */
function absent(value: string | number): string | number {
  if (typeof value === 'number') return 2_147_483_000;
  if (/^[0-9a-f-]{36}$/.test(value)) return randomUUID();
  return value.includes(':') ? 'absent:absent' : 'absent';
}

export interface Target {
  /** Account A's objects, unless said otherwise. */
  account?: number;
  /** Every param but the account comes from account B. */
  foreignObjects?: boolean;
  /** Every param but the account names nothing (an allowed caller's write then changes nothing). */
  absentObjects?: boolean;
}

export function pathOf(route: Route, world: World, target: Target = {}): string {
  return route.path
    .replace(/\{(\w+)\}/g, (_, param: string) => {
      const ownAccount = isAccountRoute(route) && param === 'id';
      if (ownAccount && target.account !== undefined) return String(target.account);
      const foreign = target.foreignObjects && !perAccountParams.has(param);
      const value = valueOf(route, param, world, foreign ? world.b : world.a);
      return String(target.absentObjects && !ownAccount ? absent(value) : value);
    })
    .replace(/\*$/, 'authz-probe');
}

export type Credentials = { token?: string; headers?: Record<string, string> };

/** A body no route can act on: refusals must come before it is read, allowed callers get 400. */
const unreadable = { raw: '{"authorization probe":', headers: { 'content-type': 'application/json' } };

export async function send(baseUrl: string, route: Route, path: string, who: Credentials): Promise<Answer> {
  const body: { raw?: string; headers?: Record<string, string> } = route.hasBody ? unreadable : {};
  return call(baseUrl, route.method, path, {
    token: who.token,
    raw: body.raw,
    headers: { ...body.headers, ...who.headers },
  });
}

/**
 * What a probe must get: a refusal with this status; `absent`: 404, or the 204 a DELETE answers for what is
 * not there; or, `allowed`, anything but an auth refusal.
 */
export type Expected = 401 | 403 | 404 | 423 | 'absent' | 'allowed' | 'skip' | { missingScope: Scope };

export interface Probe {
  name: string;
  who: (w: World, rule: Rule) => Credentials;
  target?: Target;
  expect: (rule: Rule, route: Route) => Expected;
}

// A public route admits whatever credentials come with the request, bad ones included.
const signedIn = (rule: Rule): Expected => (rule.caller === 'public' ? 'allowed' : 401);
const missing = (scope: Scope | undefined): Expected => (scope ? { missingScope: scope } : 'skip');
/** The token lacking exactly this scope (the probe is skipped on a route with none). */
const lackingToken = (w: World, scope: Scope | undefined) => ({ token: scope && w.lacking.get(scope) });
const accountScoped = (rule: Rule, route: Route) => isAccountRoute(route) && rule.caller !== 'public';
const isWrite = (route: Route) => route.method !== 'GET';

/** Every caller that must be refused, and the callers the table allows (positive controls). */
export const probes: Probe[] = [
  { name: 'no token', who: () => ({}), expect: (r) => (r.caller === 'public' ? 'allowed' : 401) },
  {
    name: 'a malformed Authorization header',
    who: () => ({ headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } }),
    expect: signedIn,
  },
  { name: 'a malformed bearer token', who: () => ({ token: 'cap_%%%' }), expect: signedIn },
  { name: 'an unknown token', who: () => ({ token: `cap_${randomUUID()}` }), expect: signedIn },
  { name: 'a revoked user token', who: (w) => ({ token: w.revokedUserToken }), expect: signedIn },
  {
    name: "a revoked token, in Chatwoot's api_access_token header",
    who: (w) => ({ headers: { api_access_token: w.revokedUserToken } }),
    expect: signedIn,
  },
  { name: 'a revoked platform token', who: (w) => ({ token: w.revokedPlatformToken }), expect: signedIn },
  { name: 'an expired user token', who: (w) => ({ token: w.expiredToken }), expect: signedIn },
  { name: 'an expired platform token', who: (w) => ({ token: w.expiredPlatformToken }), expect: signedIn },
  { name: 'the token of a removed member', who: (w) => ({ token: w.removedMemberToken }), expect: signedIn },
  {
    name: "another account's administrator",
    who: (w) => ({ token: w.b.adminToken }),
    // Accepting an invitation meant for someone else finds none: 404, as for one that does not exist.
    expect: (r) =>
      r.caller === 'public'
        ? 'skip'
        : r.caller === 'user' && !r.ownData
          ? 404
          : r.caller === 'signed-in' || r.ownData
            ? 'allowed'
            : 403,
  },
  {
    name: "the account's administrator, with another account's objects in the path",
    who: (w) => ({ token: w.a.adminToken }),
    target: { foreignObjects: true },
    expect: (r, route) =>
      accountScoped(r, route) &&
      ['GET', 'DELETE'].includes(route.method) &&
      route.params.some((p) => !perAccountParams.has(p))
        ? 'absent'
        : 'skip',
  },
  {
    name: 'an agent',
    who: (w) => ({ token: w.a.agentToken }),
    expect: (r) => (r.caller === 'administrator' || r.caller === 'platform' ? 403 : 'allowed'),
  },
  {
    name: "the account's administrator",
    who: (w) => ({ token: w.a.adminToken }),
    expect: (r) => (r.caller === 'platform' ? 403 : 'allowed'),
  },
  {
    name: 'a platform token',
    who: (w) => ({ token: w.platformToken }),
    expect: (r) => (r.caller === 'user' ? 403 : 'allowed'),
  },
  {
    name: "the account's administrator, with a token lacking exactly the route's scope",
    who: (w, rule) => lackingToken(w, userScopeOf(rule)),
    expect: (r) => missing(userScopeOf(r)),
  },
  {
    name: "a platform token lacking exactly the route's scope",
    who: (w, rule) => lackingToken(w, platformScopeOf(rule)),
    expect: (r) => missing(platformScopeOf(r)),
  },
  {
    name: 'a platform token, for an account that does not exist',
    who: (w) => ({ token: w.platformToken }),
    target: { account: 2_147_483_000 },
    expect: (r, route) => (accountScoped(r, route) && r.caller !== 'user' ? 404 : 'skip'),
  },
  {
    name: "a suspended account's administrator",
    who: (w) => ({ token: w.suspended.adminToken }),
    target: { account: -1 }, // replaced by the suspended account's id when run
    expect: (r, route) =>
      !accountScoped(r, route) || r.caller === 'platform'
        ? 'skip'
        : isWrite(route) && r.whileSuspended !== 'allowed'
          ? 423
          : 'allowed',
  },
  {
    name: 'a platform token, on a suspended account',
    who: (w) => ({ token: w.platformToken }),
    target: { account: -1 },
    expect: (r, route) =>
      !accountScoped(r, route) || !isWrite(route) ? 'skip' : r.whileSuspended === 'allowed' ? 'allowed' : 423,
  },
];

export interface Outcome {
  probe: string;
  expected: Expected;
  status: number;
  failure?: string;
}

/** Runs every probe on one route; a failure says which probe, what was expected and what came back. */
export async function probeRoute(baseUrl: string, route: Route, rule: Rule, world: World): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const probe of probes) {
    const expected = probe.expect(rule, route);
    if (expected === 'skip') continue;
    const account = probe.target?.account === -1 ? world.suspended.accountId : probe.target?.account;
    // An allowed caller's body-less write aims at objects that do not exist, so it changes nothing.
    const absentObjects = expected === 'allowed' && isWrite(route) && !route.hasBody;
    const path = pathOf(route, world, { ...probe.target, account, absentObjects });
    const answer = await send(baseUrl, route, path, probe.who(world, rule));
    outcomes.push({ probe: probe.name, expected, status: answer.status, failure: judge(route, expected, answer) });
  }
  return outcomes;
}

function judge(route: Route, expected: Expected, answer: Answer): string | undefined {
  if (expected === 'allowed')
    return [401, 403, 423].includes(answer.status) ? `refused ${answer.status}: ${detailOf(answer)}` : undefined;
  if (expected === 'absent')
    return answer.status === 404 || (answer.status === 204 && route.method === 'DELETE')
      ? undefined
      : `expected 404, got ${answer.status}: ${detailOf(answer)}`;
  if (typeof expected === 'object') {
    if (answer.status !== 403)
      return `expected 403 for ${expected.missingScope}, got ${answer.status}: ${detailOf(answer)}`;
    if (answer.body?.missing_scope !== expected.missingScope)
      return `refused without naming ${expected.missingScope} (missing_scope: ${answer.body?.missing_scope}): ${detailOf(answer)}`;
    return refusalBody(route, answer, 403);
  }
  if (answer.status !== expected) return `expected ${expected}, got ${answer.status}: ${detailOf(answer)}`;
  return refusalBody(route, answer, expected);
}

function refusalBody(route: Route, answer: Answer, expected: number): string | undefined {
  if (!isChatwootDoor(route)) return problemJson(answer, expected);
  const type = answer.headers.get('content-type') ?? '';
  if (!type.startsWith('application/json')) return `refused ${expected} without application/json (${type})`;
  if (typeof answer.body?.error !== 'string')
    return `refused ${expected} without Chatwoot's "error": ${detailOf(answer)}`;
  if (expected === 404 && answer.body.error !== 'Resource could not be found')
    return `refused 404 with "${answer.body.error}", not Chatwoot's "Resource could not be found"`;
  return undefined;
}

function problemJson(answer: Answer, expected: number): string | undefined {
  const type = answer.headers.get('content-type') ?? '';
  if (!type.startsWith('application/problem+json')) return `refused ${expected} without problem+json (${type})`;
  if (answer.body?.status !== expected)
    return `refused ${expected} with a problem whose status is ${answer.body?.status}`;
  return undefined;
}

const detailOf = (answer: Answer) =>
  typeof answer.body === 'object'
    ? String(answer.body?.detail ?? answer.body?.title ?? answer.body?.error ?? '')
    : String(answer.body).slice(0, 80);
