import { call, type Answer } from '../support/http.ts';

export interface SentRequest {
  kind: string;
  method: string;
  path: string;
  key?: string;
  attempts: number;
  /** The final answer; absent when the driver gave up (the request is lost). */
  answer?: Answer;
}

/**
 * Sends a request the way a client does through an outage: a 5xx, a 429, a connection
 * error — and for a write that is still running, a 202 — is repeated with the SAME
 * Idempotency-Key until the API answers for good or `giveUpMs` passes.
 */
export function requestDriver(baseUrl: string, giveUpMs: number) {
  const sent: SentRequest[] = [];
  async function send(
    kind: string,
    method: string,
    path: string,
    options: { token: string; key?: string; body?: unknown; pollAccepted?: boolean },
  ): Promise<SentRequest> {
    const request: SentRequest = { kind, method, path, key: options.key, attempts: 0 };
    sent.push(request);
    const deadline = Date.now() + giveUpMs;
    while (Date.now() < deadline) {
      request.attempts++;
      const answer = await call(baseUrl, method, path, {
        token: options.token,
        body: options.body,
        headers: options.key ? { 'idempotency-key': options.key } : {},
      }).catch(() => undefined);
      const again =
        !answer || answer.status >= 500 || answer.status === 429 || (options.pollAccepted && answer.status === 202);
      if (!again) {
        request.answer = answer;
        return request;
      }
      await new Promise((r) => setTimeout(r, 500 + Math.min(request.attempts, 10) * 100));
    }
    return request;
  }
  return { send, sent };
}
