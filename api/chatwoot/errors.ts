import type { ErrorHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { FieldError, Problem } from '../problem/index.ts';

/**
 * Chatwoot's error bodies (`request_exception_handler.rb`): 404 `{"error":"Resource could not be found"}`,
 * validation `{"message", "attributes"}`, anything else `{"error": "<why>"}`. Statuses stay Capstan's (403 for a
 * refused scope or role, 423 for a suspended account, where Chatwoot answers 401 to both), and so do extensions
 * such as `missing_scope` and `workflowId`, so a refusal still says what to change.
 */
export function chatwootBody(problem: Problem): Record<string, unknown> {
  const { type: _type, title, status, detail, errors, ...extensions } = problem;
  if (status === 404) return { error: 'Resource could not be found', ...extensions };
  if (status === 422 && errors?.length)
    return { message: detail ?? title, attributes: fieldsOf(errors), errors, ...extensions };
  return { error: detail ?? title, ...extensions };
}

const fieldsOf = (errors: FieldError[]) => [...new Set(errors.map((e) => e.field))];

/** Lets Capstan's one error handler decide status and wording, then answers in Chatwoot's shape. */
export function chatwootErrors(capstan: ErrorHandler): ErrorHandler {
  return async function onChatwootError(err, c) {
    const answer = await capstan(err, c);
    const problem = (await answer.json()) as Problem;
    const headers = Object.fromEntries([...answer.headers].filter(([name]) => name !== 'content-type'));
    return c.json(chatwootBody(problem), answer.status as ContentfulStatusCode, headers);
  };
}
