import type { WorkflowClientInterceptor } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { currentRequestId, withRequestId } from '../config/request-context.ts';
import { REQUEST_ID_HEADER } from '../contracts/request-id.ts';

type Headers = Record<string, Payload>;

/** The headers with the current request's id added, when there is a current request. */
function withCurrentId<T extends { headers: Headers }>(input: T): T {
  const requestId = currentRequestId();
  if (requestId === undefined || input.headers[REQUEST_ID_HEADER]) return input;
  return { ...input, headers: { ...input.headers, [REQUEST_ID_HEADER]: defaultPayloadConverter.toPayload(requestId) } };
}

/**
 * Carries the id of the request being served (config/request-context.ts) into
 * the headers of every workflow this client starts, signals, queries or updates;
 * workflows pass it on to their activities and children (workflows/interceptors.ts).
 */
export function requestIdPropagation(): WorkflowClientInterceptor {
  return {
    startWithDetails: (input, next) => next(withCurrentId(input)),
    signalWithStart: (input, next) => next(withCurrentId(input)),
    signal: (input, next) => next(withCurrentId(input)),
    query: (input, next) => next(withCurrentId(input)),
    startUpdate: (input, next) => next(withCurrentId(input)),
    startUpdateWithStart: (input, next) => {
      const headers = withCurrentId({ headers: input.workflowStartHeaders }).headers;
      return next({
        ...input,
        workflowStartHeaders: headers,
        updateHeaders: withCurrentId({ headers: input.updateHeaders }).headers,
      });
    },
  };
}

/** The request id a header carries, if it carries a string. */
export function requestIdOf(headers: Headers): string | undefined {
  const payload = headers[REQUEST_ID_HEADER];
  if (!payload) return undefined;
  const value: unknown = defaultPayloadConverter.fromPayload(payload);
  return typeof value === 'string' ? value : undefined;
}

/**
 * Runs each activity in the scope of the request id its workflow passed on, so
 * the activity's log lines carry it (the pino mixin of config/logger.ts).
 */
export const requestIdInActivities: ActivityInterceptorsFactory = () => ({
  inbound: {
    execute: (input, next) => {
      const requestId = requestIdOf(input.headers);
      return requestId === undefined ? next(input) : withRequestId(requestId, () => next(input));
    },
  },
});
