import type { Context, Hono, MiddlewareHandler, NotFoundHandler } from 'hono';
import { ProblemError, problemResponse } from './problem/index.ts';

interface KnownPath {
  pattern: RegExp;
  methods: string[];
  /** Literal segments: `/v1/dead-letters/retry` names its path more exactly than `/v1/dead-letters/:id`. */
  literals: number;
}

/** Hono path syntax (`/v1/accounts/:id/members`) as an anchored regex. */
function toPattern(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) =>
      segment === '*' ? '.*' : segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${source}$`);
}

/** Every routed path and its methods; middleware (`ALL`) is not a route. GET answers HEAD too. */
function knownPaths(app: Hono): KnownPath[] {
  const byPath = new Map<string, Set<string>>();
  for (const route of app.routes) {
    if (route.method === 'ALL') continue;
    const methods = byPath.get(route.path) ?? new Set<string>();
    methods.add(route.method.toUpperCase());
    if (route.method.toUpperCase() === 'GET') methods.add('HEAD');
    byPath.set(route.path, methods);
  }
  return [...byPath].map(([path, methods]) => ({
    pattern: toPattern(path),
    methods: [...methods].sort(),
    literals: path.split('/').filter((s) => s && !s.startsWith(':') && s !== '*').length,
  }));
}

/** The methods of the routes that name `path` most exactly (literal segments beat parameters); none: unknown. */
function allowedMethods(paths: KnownPath[], path: string): string[] {
  const matching = paths.filter((p) => p.pattern.test(path));
  const exactest = Math.max(...matching.map((p) => p.literals));
  return [...new Set(matching.filter((p) => p.literals === exactest).flatMap((p) => p.methods))].sort();
}

/** Each app's routed paths, read at its first request (every route is registered by then). */
const pathsByApp = new WeakMap<Hono, KnownPath[]>();
function allowedFor(app: Hono, path: string): string[] {
  let paths = pathsByApp.get(app);
  if (!paths) pathsByApp.set(app, (paths = knownPaths(app)));
  return allowedMethods(paths, path);
}

function methodNotAllowed(c: Context, allowed: string[]): Response {
  const allow = allowed.join(', ');
  const problem = new ProblemError('methodNotAllowed', `${c.req.path} answers ${allow}, not ${c.req.method}.`).problem;
  return problemResponse(c, problem, { Allow: allow });
}

/**
 * Before routing: a method the most exact route of a path does not answer is 405 there, even when a
 * parameter route would take it (`GET /v1/dead-letters/retry` is not dead letter "retry").
 */
export function methodNotAllowedFirst(app: Hono): MiddlewareHandler {
  return async function preferLiteralRoutes(c, next) {
    const allowed = allowedFor(app, c.req.path);
    if (allowed.length === 0 || allowed.includes(c.req.method)) return next();
    return methodNotAllowed(c, allowed);
  };
}

/**
 * The app's not-found handler: a known path asked with a method it does not
 * answer gets 405 and `Allow` (RFC 9110 §15.5.6); anything else is 404.
 */
export function notFoundOrMethodNotAllowed(app: Hono): NotFoundHandler {
  return function notFound(c) {
    const allowed = allowedFor(app, c.req.path);
    if (allowed.length === 0)
      return problemResponse(c, new ProblemError('notFound', `No route for ${c.req.method} ${c.req.path}.`).problem);
    return methodNotAllowed(c, allowed);
  };
}
