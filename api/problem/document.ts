import type { OpenAPIHono, RouteConfig } from '@hono/zod-openapi';
import { problemContent } from './schema.ts';

type Responses = RouteConfig['responses'];
type Registry = OpenAPIHono['openAPIRegistry'];

/**
 * The errors an operation can answer because of what it is, not what it does:
 * the middleware and validation in front of every handler. A route declares
 * only its own (402, a specific 404 or 409); these are added to all.
 */
function commonProblems(route: RouteConfig): Record<number, string> {
  if (!route.path.startsWith('/v1/')) return {};
  const request = route.request ?? {};
  const problems: Record<number, string> = {
    401: 'No token, or an unknown or revoked one',
    403: 'The token may not do this: it lacks the scope the route needs (named in `missing_scope`), a user token on a platform route, or a user who is not a member (in that role) of the account',
    503: 'PostgreSQL or Temporal is unreachable; retry after Retry-After seconds',
  };
  problems[429] = 'Over the request budget of the token or the address; retry after Retry-After seconds';
  if (route.path.startsWith('/v1/accounts/{id}/') && route.method !== 'get')
    problems[423] = 'The account is suspended: it answers reads, not writes';
  if (request.params || request.query || request.headers || request.body)
    problems[422] = 'Invalid fields, one entry per field in `errors`';
  if (route.path.startsWith('/v1/accounts/{id}')) problems[404] = 'No such account, or no such resource in it';
  if (request.body) {
    problems[400] = 'The body is not valid JSON';
    problems[413] = 'The body is larger than the API accepts (API_BODY_LIMIT_BYTES)';
    problems[415] = 'The body is not sent as application/json';
  }
  return problems;
}

/** Adds the common problems to every registered operation, and the problem+json schema to every error answer. */
export function documentProblems(registry: Registry): void {
  for (const definition of registry.definitions) {
    if (definition.type !== 'route') continue;
    const { route } = definition;
    const responses: Responses = {};
    for (const [status, description] of Object.entries(commonProblems(route))) responses[status] = { description };
    Object.assign(responses, route.responses);
    for (const [status, response] of Object.entries(responses)) {
      if (Number(status) >= 400 && !('$ref' in response) && !response.content)
        responses[status] = { ...response, content: problemContent };
    }
    route.responses = responses;
  }
}
