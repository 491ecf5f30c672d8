import { randomUUID } from 'node:crypto';
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { Client } from '@temporalio/client';
import { findAccount } from '../../db/accounts.ts';
import type { Sql } from '../../db/pool.ts';
import { requireAccountAccess, requirePlatform } from '../auth/index.ts';
import { ProblemError } from '../problem/index.ts';
import { commonProblems, problemContent } from '../problem/schema.ts';
import { validationHook } from '../validation.ts';
import { provisionThroughWorkflow, type ProvisionOutcome } from './provision.ts';
import { accountParam, idempotencyHeader, security } from '../common-schemas.ts';
import { account, provisionAccountBody, provisionedAccount } from './schemas.ts';

export interface AccountRoutesDeps {
  sql: Sql;
  temporal: Client;
  workflowWaitMs: number;
}

const provisionRoute = createRoute({
  method: 'post',
  path: '/v1/accounts',
  summary: 'Provision an account with its first administrator',
  description: 'Runs the `provisionAccount` workflow. Send an `Idempotency-Key` so a retried request never makes a second account.',
  security,
  request: {
    headers: idempotencyHeader,
    body: { required: true, content: { 'application/json': { schema: provisionAccountBody } } },
  },
  responses: {
    201: { description: 'Account created; the token is shown this once', content: { 'application/json': { schema: provisionedAccount } } },
    200: { description: 'Replay of an earlier request with the same key; no token', content: { 'application/json': { schema: provisionedAccount } } },
    202: { description: 'Still running; retry with the same key', content: problemContent },
    ...commonProblems,
    409: { description: 'Conflicts with existing data', content: problemContent },
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/v1/accounts/{id}',
  summary: 'Read an account',
  security,
  request: { params: accountParam },
  responses: {
    200: { description: 'The account', content: { 'application/json': { schema: account } } },
    ...commonProblems,
    404: { description: 'No such account', content: problemContent },
  },
});

export function accountRoutes({ sql, temporal, workflowWaitMs }: AccountRoutesDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });

  app.openapi(provisionRoute, async (c) => {
    const principal = c.get('principal');
    requirePlatform(principal);
    const idempotencyKey = c.req.valid('header')['idempotency-key'] ?? randomUUID();
    const outcome = await provisionThroughWorkflow(temporal, {
      idempotencyKey,
      body: c.req.valid('json'),
      requestedBy: { type: 'PlatformApp', id: String(principal.appId) },
      waitMs: workflowWaitMs,
    });
    c.get('logger').info({ workflowId: outcome.workflowId, outcome: outcome.outcome }, 'provisionAccount');
    const answer = respond(outcome);
    return answer.status === 201 ? c.json(answer.body, 201, answer.headers) : c.json(answer.body, 200, answer.headers);
  });

  app.openapi(getRoute, async (c) => {
    const { id } = c.req.valid('param');
    requireAccountAccess(c.get('principal'), id);
    const found = await findAccount(sql, id);
    if (!found) throw new ProblemError('notFound', `Account ${id} does not exist.`);
    return c.json({ ...found, created_at: found.created_at.toISOString() }, 200);
  });

  return app;
}

type Body = { account: { id: number; name: string }; admin: { id: number; email: string }; accessToken: string | null };

/** Maps each outcome of provisioning to its HTTP answer, in one place. */
function respond(outcome: ProvisionOutcome): { body: Body; status: 200 | 201; headers: Record<string, string> } {
  switch (outcome.outcome) {
    case 'created':
    case 'replayed': {
      const { account, admin } = outcome.result;
      const body = { account, admin: { id: admin.id, email: admin.email }, accessToken: outcome.outcome === 'created' ? outcome.accessToken : null };
      const location = `/v1/accounts/${account.id}`;
      return outcome.outcome === 'created'
        ? { body, status: 201, headers: { Location: location } }
        : { body, status: 200, headers: { Location: location, 'Idempotent-Replayed': 'true' } };
    }
    case 'pending':
      throw new ProblemError('accepted', 'Provisioning is still running. Repeat the request with the same Idempotency-Key to get its result.', { workflowId: outcome.workflowId });
    case 'key_reused':
      throw new ProblemError('idempotencyMismatch', 'Use a new Idempotency-Key for a different request.', { workflowId: outcome.workflowId });
    case 'rejected':
      if (outcome.failureType === 'ValidationError') {
        throw new ProblemError('validation', outcome.message, { errors: outcome.details, workflowId: outcome.workflowId });
      }
      if (outcome.failureType === 'ConstraintViolation') {
        throw new ProblemError('conflict', outcome.message, { workflowId: outcome.workflowId });
      }
      throw new Error(`provisionAccount ${outcome.workflowId} failed: ${outcome.message}`);
    default: {
      const never: never = outcome;
      throw new Error(`unhandled outcome ${JSON.stringify(never)}`);
    }
  }
}
