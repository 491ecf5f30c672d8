import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The request a piece of work belongs to. The API sets it per HTTP request
 * (api/logging), the Temporal client copies it into the headers of what it
 * starts, signals or queries (workers/request-id.ts) and activity workers set it
 * again around each activity, so every log line along the way can carry it.
 */
export interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` with `requestId` as the current request id (and everything it awaits). */
export function withRequestId<T>(requestId: string, fn: () => T): T {
  return storage.run({ requestId }, fn);
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
