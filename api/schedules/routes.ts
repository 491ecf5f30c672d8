import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { scheduleOperation } from '../../contracts/schedules.ts';
import { workflows } from '../../contracts/workflows.ts';
import { describeSchedules, isOwnedSchedule, ownedScheduleIds } from '../../workers/schedules.ts';
import { actorOf } from '../actor.ts';
import { platformAccess, requirePlatform } from '../auth/index.ts';
import { idempotencyHeader, jsonBody, jsonContent, listOf, security } from '../common-schemas.ts';
import { ProblemError } from '../problem/index.ts';
import { problemContent, writeAnswers } from '../problem/schema.ts';
import { validationHook } from '../validation.ts';
import { keyOrFresh, runWrite, type WriteRouteDeps } from '../write.ts';

const schedule = z
  .object({
    id: z.string(),
    exists: z.boolean(),
    workflow_type: z.string().nullable(),
    note: z.string().nullable(),
    paused: z.boolean(),
    interval_ms: z.number().int().nullable(),
    next_action_times: z.array(z.string()),
    recent_actions: z.array(z.object({ scheduled_at: z.string(), taken_at: z.string(), workflow_id: z.string() })),
  })
  .openapi('Schedule');
const operation = z.enum(scheduleOperation.options);
const operationParams = z.object({
  id: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: 'id', in: 'path' }, example: ownedScheduleIds[0] }),
  operation: operation.openapi({ param: { name: 'operation', in: 'path' } }),
});
const instant = z.iso.datetime({ offset: true });
const operationBody = z
  .object({
    reason: z.string().trim().min(1).max(500).optional().openapi({ description: 'Recorded in the audit log' }),
    from: instant.optional().openapi({ description: 'backfill: the first time to run for' }),
    to: instant.optional().openapi({ description: 'backfill: runs for times before this' }),
  })
  .strict()
  .openapi('ScheduleOperationRequest');

/** The schedules Capstan owns (workers/schedules.ts): list them, pause, unpause, trigger, backfill. Platform tokens only. */
export function scheduleRoutes({ temporal, workflowWaitMs }: Omit<WriteRouteDeps, 'sql'>) {
  const app = new OpenAPIHono({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/schedules',
      operationId: 'listSchedules',
      summary: 'Every schedule Capstan owns, as Temporal runs it now (platform token)',
      security,
      middleware: platformAccess('platform:schedules'),
      responses: { 200: jsonContent(listOf(schedule), 'Schedules') },
    }),
    async (c) => {
      requirePlatform(c.get('principal'));
      const views = await describeSchedules(temporal);
      return c.json(
        {
          payload: views.map((s) => ({
            id: s.id,
            exists: s.exists,
            workflow_type: s.workflowType,
            note: s.note,
            paused: s.paused,
            interval_ms: s.intervalMs,
            next_action_times: s.nextActionTimes,
            recent_actions: s.recentActions.map((a) => ({
              scheduled_at: a.scheduledAt,
              taken_at: a.takenAt,
              workflow_id: a.workflowId,
            })),
          })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/schedules/{id}/{operation}',
      operationId: 'operateSchedule',
      summary: 'Pause, unpause, trigger or backfill a schedule (platform token); audited with the reason',
      security,
      middleware: platformAccess('platform:schedules'),
      request: { params: operationParams, headers: idempotencyHeader, body: jsonBody(operationBody) },
      responses: {
        200: jsonContent(z.object({ id: z.string(), operation }), 'Done'),
        ...writeAnswers,
        404: { description: 'Not a schedule Capstan owns', content: problemContent },
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      requirePlatform(principal);
      const { id, operation } = c.req.valid('param');
      if (!isOwnedSchedule(id))
        throw new ProblemError('notFound', `Capstan owns no schedule ${id}; it owns ${ownedScheduleIds.join(', ')}.`);
      const body = c.req.valid('json');
      if (operation === 'backfill' && !(body.from && body.to && Date.parse(body.from) < Date.parse(body.to)))
        throw new ProblemError('validation', 'A backfill needs `from` before `to`.', {
          errors: [{ field: 'from', message: 'required, before `to`' }],
        });
      const { result } = await runWrite(temporal, {
        entry: workflows.operateSchedule,
        key: { scheduleId: id, key: keyOrFresh(c.req.valid('header')['idempotency-key']) },
        input: { scheduleId: id, operation, ...body, actor: actorOf(principal) },
        waitMs: workflowWaitMs,
      });
      return c.json({ id: result.scheduleId, operation: result.operation }, 200);
    },
  );

  return app;
}
