import { failure } from '../config/failures.ts';

export const MiB = 1024 * 1024;

/** An answer that says the dependency itself is failing (overloaded or broken), not the request: retried, and counted by its breaker. */
export const dependencyFailing = (status: number): boolean => status === 429 || status >= 500;

/**
 * Reads an answer's body as text, at most `limit` bytes: an upstream (or
 * something impersonating it) cannot make a worker buffer without end. Past
 * the limit the stream is cancelled and the call fails with the final
 * `UpstreamAnswerTooLarge`; a declared Content-Length past it fails before
 * anything is read.
 */
export async function readCapped(res: Response, limit: number, what: string): Promise<string> {
  const tooLarge = () =>
    failure('UpstreamAnswerTooLarge', `${what} is larger than ${limit} bytes; Capstan does not read further`);
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await res.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A 3xx answer: never followed, since a redirect could point a credentialed call anywhere. */
export function redirectProblem(res: Response, what: string): string | undefined {
  if (res.status < 300 || res.status >= 400) return undefined;
  return `${what} answered ${res.status} redirecting to ${res.headers.get('location') ?? '(no location)'}; redirects are not followed`;
}
