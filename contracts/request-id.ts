/**
 * The Temporal header that carries the id of the HTTP request (or other caller)
 * a workflow, signal, query or activity was caused by. Written by the client
 * (workers/request-id.ts), passed on by workflows (workflows/interceptors.ts).
 */
export const REQUEST_ID_HEADER = 'requestId';
