import { createHash } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Context } from 'hono';

/** How long a retry of an identical request, without a key, still answers with the first run's result. */
export const RETRY_WINDOW_MS = 60_000;

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

/**
 * The Idempotency-Key a door write runs under. The client's, when it sends one; else its natural key when the
 * request has one (a message's `source_id` or `echo_id`), kept per token; else one derived from the token, method,
 * path and body within a time window. A retry after the window turns lands on the previous window's run when that
 * run exists (one describe), so any retry within one window's length of the first try answers with its result;
 * identical requests further apart are two requests. Chatwoot's clients send no key: this is what keeps their
 * retries from writing twice.
 */
export async function doorKey(
  c: Context,
  temporal: Client,
  workflowIdOf: (key: string) => string,
  body: unknown,
  natural?: string,
): Promise<string> {
  const sent = c.req.header('idempotency-key');
  if (sent) return sent;
  const principal = c.get('principal');
  const holder = `cw:${principal.kind === 'platform' ? 'p' : 'u'}${principal.tokenId}`;
  if (natural) return `${holder}:${sha256(natural)}`;
  const digest = sha256(JSON.stringify([c.req.method, c.req.path, body]));
  const window = Math.floor(Date.now() / RETRY_WINDOW_MS);
  const previous = `${holder}:${window - 1}:${digest}`;
  if (await runExists(temporal, workflowIdOf(previous))) return previous;
  return `${holder}:${window}:${digest}`;
}

async function runExists(temporal: Client, workflowId: string): Promise<boolean> {
  try {
    await temporal.workflow.getHandle(workflowId).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}
