import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { breakerPolicyOf } from '../../config/breakers.ts';
import { resetBreakerInput } from '../../contracts/breakers.ts';
import { workflows } from '../../contracts/workflows.ts';
import { breakerStates, type BreakerRecord } from '../../db/breakers.ts';
import { actorOf } from '../actor.ts';
import { platformAccess, requirePlatform } from '../auth/index.ts';
import { jsonBody, jsonContent, listOf, security } from '../common-schemas.ts';
import { problemContent, writeAnswers } from '../problem/schema.ts';
import { apiText } from '../text-rules.ts';
import { validationHook } from '../validation.ts';
import { keyOrFresh, runWrite, type WriteRouteDeps } from '../write.ts';

const state = z.enum(['closed', 'open', 'half_open']);
const instant = z.string().nullable();
const breaker = z
  .object({
    name: z.string().openapi({ example: 'clever-cloud' }),
    state,
    failures: z.number().int().openapi({ description: 'Dependency failures inside the rolling window' }),
    failure_threshold: z.number().int(),
    window_ms: z.number().int(),
    opened_at: instant,
    half_open_at: instant.openapi({ description: 'When an open breaker lets its one trial call through' }),
    trial_expires_at: instant.openapi({ description: 'When the trial under way is given up (half-open)' }),
    last_failure: z.string().nullable(),
    last_failure_at: instant,
    totals: z.object({
      failures: z.number().int(),
      opened: z.number().int(),
      trials: z.number().int(),
      refused: z.number().int().openapi({ description: 'Calls refused without reaching the dependency' }),
    }),
    updated_at: z.string(),
  })
  .openapi('Breaker');
const nameParam = z.object({
  name: z
    .string()
    .min(1)
    .max(300)
    .openapi({ param: { name: 'name', in: 'path' }, example: 'webhook:hooks.example.com:443' }),
});
const resetBody = z
  .object({ reason: apiText(resetBreakerInput.shape.reason) })
  .strict()
  .openapi('ResetBreakerRequest');
const iso = (d: Date | null) => d?.toISOString() ?? null;

function view(b: BreakerRecord, now = Date.now()) {
  const policy = breakerPolicyOf(b.name);
  return {
    name: b.name,
    state: b.state,
    failures: b.recentFailures.filter((t) => t.getTime() > now - policy.windowMs).length,
    failure_threshold: policy.failureThreshold,
    window_ms: policy.windowMs,
    opened_at: iso(b.openedAt),
    half_open_at: iso(b.halfOpenAt),
    trial_expires_at: iso(b.trialExpiresAt),
    last_failure: b.lastFailure,
    last_failure_at: iso(b.lastFailureAt),
    totals: { failures: b.failuresTotal, opened: b.openedTotal, trials: b.trialsTotal, refused: b.refusedTotal },
    updated_at: b.updatedAt.toISOString(),
  };
}

/** The circuit breakers every worker shares: listed, and closed by hand with a reason (platform token). */
export function breakerRoutes({ sql, temporal, workflowWaitMs }: WriteRouteDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/breakers',
      operationId: 'listBreakers',
      summary: 'List circuit breakers with their state and last failure (platform token)',
      description: 'A dependency appears once it has failed at least once; one breaker per webhook receiving host.',
      security,
      middleware: platformAccess('platform:failures'),
      responses: { 200: jsonContent(listOf(breaker), 'Breakers') },
    }),
    async (c) => {
      requirePlatform(c.get('principal'));
      return c.json({ payload: (await breakerStates(sql)).map((b) => view(b)) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/breakers/{name}/reset',
      operationId: 'resetBreaker',
      summary: 'Close a circuit breaker by hand, with a reason (platform token; audited)',
      security,
      middleware: platformAccess('platform:failures'),
      request: { params: nameParam, body: jsonBody(resetBody) },
      responses: {
        200: jsonContent(breaker.extend({ before: state }), 'Closed; `before` is the state it was in'),
        ...writeAnswers,
        404: { description: 'No breaker has this name', content: problemContent },
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      requirePlatform(principal);
      const { name } = c.req.valid('param');
      const { result } = await runWrite(temporal, {
        entry: workflows.resetBreaker,
        key: { name, key: keyOrFresh(undefined) },
        input: { name, reason: c.req.valid('json').reason, actor: actorOf(principal) },
        waitMs: workflowWaitMs,
      });
      const [after] = await breakerStates(sql, name);
      return c.json({ ...view(after!), before: result.before }, 200);
    },
  );

  return app;
}
