import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { WebhookSettings } from '../config/webhooks.ts';
import { guardedLookup, literalTargetProblem, UnsafeTargetError } from './webhook-target.ts';

/** How much of a receiver's answer is read (and thrown away) before the socket is cut. */
export const DRAIN_LIMIT = 64 * 1024;

/** The receiver's status, or why there is none; `unsafe` when the target was refused. */
export interface PostResult {
  status?: number;
  error?: string;
  unsafe?: boolean;
}

/**
 * One POST. An IP-literal target is checked here, before any connection
 * (node skips the guarded lookup for those); a named one at connect time.
 * Node's http follows no redirect: a 3xx is a failed attempt like any other
 * non-2xx. The answer's body is unused, drained up to a cap, then cut.
 */
export function postWebhook(
  url: string,
  body: string,
  webhooks: WebhookSettings,
  headers: Record<string, string>,
): Promise<PostResult> {
  const { problem } = literalTargetProblem(url, webhooks.allowedRanges);
  if (problem) return Promise.resolve({ error: `refused before connecting: ${problem}`, unsafe: true });
  return new Promise((resolve) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = send(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Length': Buffer.byteLength(body) },
        lookup: guardedLookup(webhooks.allowedRanges) as never,
        timeout: webhooks.policy.attemptTimeoutMs,
      },
      (res) => {
        let drained = 0;
        res.on('data', (chunk: Buffer) => {
          drained += chunk.length;
          if (drained > DRAIN_LIMIT) {
            res.destroy(); // the status is all we need; the rest of the socket is not worth reading
            resolve({ status: res.statusCode });
          }
        });
        res.on('end', () => resolve({ status: res.statusCode }));
        res.on('error', () => resolve({ status: res.statusCode }));
      },
    );
    // `timeout` only catches an idle socket; a receiver trickling its answer is cut at the same limit overall.
    const overall = setTimeout(
      () => req.destroy(new Error(`no answer within ${webhooks.policy.attemptTimeoutMs} ms`)),
      webhooks.policy.attemptTimeoutMs,
    );
    req.on('close', () => clearTimeout(overall));
    req.on('timeout', () => req.destroy(new Error(`no answer within ${webhooks.policy.attemptTimeoutMs} ms`)));
    req.on('error', (err) => resolve({ error: err.message, unsafe: err instanceof UnsafeTargetError }));
    req.end(body);
  });
}
