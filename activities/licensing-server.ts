import { ApplicationFailure } from '@temporalio/common';
import type { FailureType } from '../config/failures.ts';
import { dependencyFailing, MiB, readCapped, redirectProblem } from './http-answer.ts';
import type { Judge } from './breaker.ts';

const ANSWER_LIMIT = MiB;

export type HeartbeatAnswer = { status?: string; server_time?: string; licence?: string };

/**
 * The HTTP exchange of one heartbeat: no redirect is followed (the licence key
 * is the bearer) and at most 1 MiB of answer is read.
 */
export async function postHeartbeat(baseUrl: string, key: string, idempotencyKey: string, body: object) {
  let httpStatus: number | undefined;
  let answer: HeartbeatAnswer | undefined;
  let error: string | undefined;
  // Final when asking again cannot help: a 401 (the server does not know this key) or an oversized answer.
  let failureType: FailureType = 'HeartbeatFailed';
  try {
    const res = await fetch(`${baseUrl}/v1/heartbeats`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        'idempotency-key': idempotencyKey,
      },
      body: JSON.stringify(body),
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000),
    });
    httpStatus = res.status;
    error = redirectProblem(res, 'the licensing server');
    if (error) await res.body?.cancel();
    else
      answer = safeJson(await readCapped(res, ANSWER_LIMIT, "the licensing server's answer")) as
        HeartbeatAnswer | undefined;
    if (!error && !res.ok) error = `licensing server answered ${res.status}`;
    if (res.status === 401) failureType = 'LicenceRejected';
  } catch (err) {
    if (err instanceof ApplicationFailure && err.type === 'UpstreamAnswerTooLarge') {
      failureType = err.type;
      error = err.message;
    } else {
      error = `licensing server unreachable: ${(err as Error).name === 'TimeoutError' ? 'no answer within 10 s' : (err as Error).message}`;
    }
  }
  return { httpStatus, answer, error, failureType };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** No answer, 5xx or 429 is the licensing server failing; a 401 or an oversized answer is its answer. */
export const heartbeatJudge: Judge<Awaited<ReturnType<typeof postHeartbeat>>> = {
  error: () => undefined,
  result: (r) =>
    r.httpStatus === undefined
      ? r.failureType === 'HeartbeatFailed'
        ? r.error
        : undefined
      : dependencyFailing(r.httpStatus)
        ? r.error
        : undefined,
};
