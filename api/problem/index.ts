import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';

export interface FieldError {
  field: string;
  message: string;
}

/** RFC 9457 problem details, as every Capstan error answers. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const problemTypes = {
  accepted: { slug: 'still-running', title: 'The work was accepted and is still running', status: 202 },
  validation: { slug: 'validation-error', title: 'Your request is not valid', status: 422 },
  malformed: { slug: 'malformed-request', title: 'The request body could not be read', status: 400 },
  unauthenticated: { slug: 'unauthenticated', title: 'A valid access token is required', status: 401 },
  forbidden: { slug: 'forbidden', title: 'This token may not do that', status: 403 },
  notFound: { slug: 'not-found', title: 'Resource could not be found', status: 404 },
  methodNotAllowed: { slug: 'method-not-allowed', title: 'This path does not answer that method', status: 405 },
  paymentRequired: { slug: 'payment-required', title: 'Your plan does not include this', status: 402 },
  conflict: { slug: 'conflict', title: 'The request conflicts with the current state', status: 409 },
  accountSuspended: { slug: 'account-suspended', title: 'The account is suspended', status: 423 },
  tooManyRequests: { slug: 'too-many-requests', title: 'Too many requests', status: 429 },
  idempotencyMismatch: {
    slug: 'idempotency-key-reused',
    title: 'This Idempotency-Key was used with another request',
    status: 422,
  },
  payloadTooLarge: { slug: 'payload-too-large', title: 'The request body is too large', status: 413 },
  unsupportedMediaType: { slug: 'unsupported-media-type', title: 'Send the body as application/json', status: 415 },
  unavailable: { slug: 'unavailable', title: 'A service Capstan depends on is unavailable', status: 503 },
  badGateway: { slug: 'upstream-failed', title: 'A service Capstan called failed', status: 502 },
  gatewayTimeout: { slug: 'deadline-exceeded', title: 'The work did not finish within its deadline', status: 504 },
  notImplemented: { slug: 'not-implemented', title: 'Not implemented yet', status: 501 },
  internal: { slug: 'internal-error', title: 'Something went wrong on our side', status: 500 },
} as const satisfies Record<string, { slug: string; title: string; status: number }>;

export type ProblemKind = keyof typeof problemTypes;

/** Thrown by handlers and middleware; `onError` turns it into a problem response. */
export class ProblemError extends HTTPException {
  readonly problem: Problem;

  /** `headers` go out with the answer (Retry-After, RateLimit-*). */
  constructor(
    kind: ProblemKind,
    detail?: string,
    extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    const { slug, title, status } = problemTypes[kind];
    super(status as ContentfulStatusCode, { message: detail ?? title });
    this.problem = { type: `urn:capstan:problem:${slug}`, title, status, ...(detail && { detail }), ...extensions };
  }
}

export function problemResponse(c: Context, problem: Problem, headers: Record<string, string> = {}): Response {
  return c.body(JSON.stringify(problem), problem.status as ContentfulStatusCode, {
    'Content-Type': 'application/problem+json',
    ...headers,
  });
}

export function fieldErrors(error: ZodError): FieldError[] {
  return error.issues.map((issue) => ({ field: issue.path.join('.') || '(body)', message: issue.message }));
}
