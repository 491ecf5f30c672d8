import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type {
  Next,
  WorkflowInboundCallsInterceptor,
  WorkflowInterceptors,
  WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import { REQUEST_ID_HEADER } from '../contracts/request-id.ts';

type Headers = Record<string, Payload>;

/**
 * Passes the request id header (contracts/request-id.ts) from what started or
 * signalled this workflow on to its activities, local activities and children,
 * and adds it to the attributes of the workflow's `log`. The SDK calls
 * `interceptors()` once per workflow execution, so the closure holds this run's
 * id only; the start's and signals' headers are in history, so replay agrees.
 * A signal that carries an id makes it the current one: what follows is its work.
 */
export function interceptors(): WorkflowInterceptors {
  let requestId: Payload | undefined;
  const remember = (headers: Headers) => {
    requestId = headers[REQUEST_ID_HEADER] ?? requestId;
  };
  const passOn = <T extends { headers: Headers }>(input: T): T =>
    requestId && !input.headers[REQUEST_ID_HEADER]
      ? { ...input, headers: { ...input.headers, [REQUEST_ID_HEADER]: requestId } }
      : input;

  const inbound: WorkflowInboundCallsInterceptor = {
    execute: (input, next) => {
      remember(input.headers);
      return next(input);
    },
    handleSignal: (input, next) => {
      remember(input.headers);
      return next(input);
    },
  };
  const outbound: WorkflowOutboundCallsInterceptor = {
    scheduleActivity: (input, next) => next(passOn(input)),
    scheduleLocalActivity: (input, next) => next(passOn(input)),
    startChildWorkflowExecution: (input, next) => next(passOn(input)),
    continueAsNew: (input, next) => next(passOn(input)),
    getLogAttributes: (input, next: Next<WorkflowOutboundCallsInterceptor, 'getLogAttributes'>) => {
      const id: unknown = requestId && defaultPayloadConverter.fromPayload(requestId);
      return next(typeof id === 'string' ? { ...input, requestId: id } : input);
    },
  };
  return { inbound: [inbound], outbound: [outbound] };
}
