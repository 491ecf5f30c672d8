import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
} from '@temporalio/client';
import type { LicenceSettings } from '../config/licence.ts';
import { currentLicence } from '../db/licence.ts';
import { signSchedule } from '../domain/actor-proof.ts';
import type { Sql } from '../db/pool.ts';
import { searchAttributesOf, summaryOf, workflows, type WorkflowEntry } from '../contracts/workflows.ts';
import type { z } from 'zod';

export const LICENCE_SCHEDULE_ID = 'licence-heartbeat';
export const DEAD_LETTER_RETENTION_SCHEDULE_ID = 'dead-letter-retention';
export const ASSET_GC_SCHEDULE_ID = 'assets-gc';
export const PROOF_NONCE_SCHEDULE_ID = 'proof-nonces';
export const PRUNE_EXPIRED_STATE_SCHEDULE_ID = 'prune-expired-state';
export const DELIVERY_RETENTION_SCHEDULE_ID = 'webhook-delivery-retention';
export const AUDIT_RETENTION_SCHEDULE_ID = 'audit-log-retention';
export const HEARTBEAT_RETENTION_SCHEDULE_ID = 'licence-heartbeat-retention';

export interface ScheduleSettings {
  heartbeatIntervalMs: number;
  deadLetterRetentionDays: number;
  /** ASSETS_GC_INTERVAL_MS */
  assetGcIntervalMs: number;
  /** WEBHOOK_DELIVERY_RETENTION_DAYS (default 30) */
  webhookDeliveryRetentionDays?: number;
  /** AUDIT_LOG_RETENTION_DAYS: unset keeps every audit row (the audit-log licence feature promises it). */
  auditLogRetentionDays?: number | null;
  /** LICENCE_HEARTBEAT_RETENTION_DAYS (default 90) */
  licenceHeartbeatRetentionDays?: number;
}

/** One schedule Capstan owns: a catalogue workflow started every `everyMs`. */
export interface OwnedSchedule<S extends z.ZodType = z.ZodType> {
  note: string;
  entry: WorkflowEntry<string, S, any, any>;
  /** The workflow's input; none for workflows whose input defaults. */
  input?: z.input<S>;
  everyMs: number;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const QUARTER_HOUR_MS = 900_000;
const own = <S extends z.ZodType>(s: OwnedSchedule<S>): OwnedSchedule => s as unknown as OwnedSchedule;

/**
 * The one registry of every schedule Capstan owns: created (or brought up to
 * date) at each worker and `capstan up` start, listed and operated by
 * `capstan schedules …` and `/v1/schedules`. A new schedule is one entry here.
 */
export const ownedSchedules = {
  [LICENCE_SCHEDULE_ID]: (s: Pick<ScheduleSettings, 'heartbeatIntervalMs'>) =>
    own({
      note: 'Reports usage to the licensing server and reconciles premium features.',
      entry: workflows.licenceHeartbeat,
      input: {},
      everyMs: s.heartbeatIntervalMs,
    }),
  [DEAD_LETTER_RETENTION_SCHEDULE_ID]: (s: ScheduleSettings) =>
    own({
      note: `Deletes dead letters whose last failure is older than ${s.deadLetterRetentionDays} days.`,
      entry: workflows.purgeDeadLetters,
      input: { retentionDays: s.deadLetterRetentionDays },
      everyMs: DAY_MS,
    }),
  [ASSET_GC_SCHEDULE_ID]: (s: ScheduleSettings) =>
    own({
      note: 'Deletes asset builds beyond retention and the files no kept build references.',
      entry: workflows.collectAssetGarbage,
      input: {},
      everyMs: s.assetGcIntervalMs,
    }),
  [PROOF_NONCE_SCHEDULE_ID]: () =>
    own({
      note: 'Deletes spent proof nonces whose proofs are past their age, in batches.',
      entry: workflows.pruneProofNonces,
      input: { batch: 1000 },
      everyMs: HOUR_MS,
    }),
  [PRUNE_EXPIRED_STATE_SCHEDULE_ID]: () =>
    own({
      note: 'Deletes expired request budgets, and the circuit breakers of webhook hosts no webhook targets.',
      entry: workflows.pruneExpiredState,
      input: {},
      everyMs: HOUR_MS,
    }),
  [DELIVERY_RETENTION_SCHEDULE_ID]: (s: ScheduleSettings) =>
    own({
      note: `Deletes finished webhook deliveries (and their attempts) older than ${s.webhookDeliveryRetentionDays ?? 30} days, in batches.`,
      entry: workflows.pruneRetained,
      input: { target: 'webhook_deliveries', retentionDays: s.webhookDeliveryRetentionDays ?? 30, batch: 1000 },
      everyMs: QUARTER_HOUR_MS,
    }),
  [AUDIT_RETENTION_SCHEDULE_ID]: (s: ScheduleSettings) =>
    own({
      note:
        s.auditLogRetentionDays == null
          ? 'Keeps every audit row (AUDIT_LOG_RETENTION_DAYS unset).'
          : `Deletes audit rows older than ${s.auditLogRetentionDays} days, in batches.`,
      entry: workflows.pruneRetained,
      input: { target: 'audit_log', retentionDays: s.auditLogRetentionDays ?? null, batch: 1000 },
      everyMs: HOUR_MS,
    }),
  [HEARTBEAT_RETENTION_SCHEDULE_ID]: (s: ScheduleSettings) =>
    own({
      note: `Deletes licence heartbeat records older than ${s.licenceHeartbeatRetentionDays ?? 90} days.`,
      entry: workflows.pruneRetained,
      input: { target: 'licence_heartbeats', retentionDays: s.licenceHeartbeatRetentionDays ?? 90, batch: 1000 },
      everyMs: DAY_MS,
    }),
} satisfies Record<string, (s: ScheduleSettings) => OwnedSchedule>;

export type OwnedScheduleId = keyof typeof ownedSchedules;
export const ownedScheduleIds = Object.keys(ownedSchedules) as OwnedScheduleId[];
export const isOwnedSchedule = (id: string): id is OwnedScheduleId => Object.hasOwn(ownedSchedules, id);

type Ensured = 'created' | 'updated' | 'unchanged';

/**
 * Creates every owned schedule, or brings it up to date: any number of starts leave exactly one of each.
 * `actorSecret` (db/installation.ts) signs each schedule's input: see signedInput.
 */
export async function ensureSchedules(
  client: Client,
  settings: ScheduleSettings,
  actorSecret: Uint8Array,
): Promise<Record<OwnedScheduleId, Ensured>> {
  const outcomes = {} as Record<OwnedScheduleId, Ensured>;
  for (const id of ownedScheduleIds)
    outcomes[id] = await ensureSchedule(client, id, ownedSchedules[id](settings), actorSecret);
  return outcomes;
}

/** What the server names a schedule's runs by, followed by `-<nominal time>` (domain/actor-proof.ts scheduledRunOf). */
const runIdBase = (scheduleId: string) => `${scheduleId}-workflow`;

/**
 * The schedule's input with the schedule as its actor, signed for the schedule, the workflow type and this
 * input. Anyone who reaches Temporal can create or trigger a schedule, so a run's input proves itself, as an
 * API start's does. A schedule starts its runs again and again with one input, so its proof has no nonce to
 * spend: it is good for runs named after this schedule (`<id>-workflow-<time>`), for this type and input
 * only. Starting such a run by hand, or triggering the schedule, does what the schedule does anyway; a
 * schedule made by someone else, another type or another input (a retention of 0 days) is refused.
 */
function signedInput(secret: Uint8Array, scheduleId: string, s: OwnedSchedule): unknown {
  if (s.input === undefined) return undefined;
  const input = { ...(s.input as object), actor: { type: 'Operator', id: `schedule:${scheduleId}` } };
  const proof = signSchedule(secret, scheduleId, s.entry.type, input);
  return { ...input, actor: { ...input.actor, proof } };
}

export async function ensureSchedule(
  client: Client,
  scheduleId: string,
  s: OwnedSchedule,
  actorSecret: Uint8Array,
): Promise<Ensured> {
  const spec = { intervals: [{ every: s.everyMs }], jitter: Math.min(60_000, Math.floor(s.everyMs / 10)) };
  const input = signedInput(actorSecret, scheduleId, s);
  const args = input === undefined ? undefined : [input];
  try {
    await client.schedule.create({
      scheduleId,
      spec,
      action: {
        type: 'startWorkflow',
        workflowType: s.entry.type,
        workflowId: runIdBase(scheduleId),
        taskQueue: s.entry.taskQueue,
        ...(args && { args }),
        workflowExecutionTimeout: s.entry.executionTimeout,
        typedSearchAttributes: searchAttributesOf(s.entry, s.input ?? {}),
        staticSummary: summaryOf(s.entry, s.input ?? {}),
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: s.everyMs },
      state: { note: s.note },
    });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const handle = client.schedule.getHandle(scheduleId);
  const current = await handle.describe();
  const sameArgs =
    current.action.type !== 'startWorkflow' || JSON.stringify(current.action.args ?? []) === JSON.stringify(args ?? []);
  if (current.spec.intervals?.[0]?.every === s.everyMs && sameArgs) return 'unchanged';
  await handle.update((previous) => ({
    ...previous,
    spec: { ...previous.spec, ...spec },
    ...(args && previous.action.type === 'startWorkflow' && { action: { ...previous.action, args } }),
  }));
  return 'updated';
}

/** The licence heartbeat schedule alone (after a licence install changes its interval). */
export function ensureLicenceSchedule(client: Client, intervalMs: number, actorSecret: Uint8Array): Promise<Ensured> {
  return ensureSchedule(
    client,
    LICENCE_SCHEDULE_ID,
    ownedSchedules[LICENCE_SCHEDULE_ID]({ heartbeatIntervalMs: intervalMs }),
    actorSecret,
  );
}

/** The licence's own `hb` when it has one, else the configured interval. */
export async function heartbeatInterval(sql: Sql, settings: LicenceSettings): Promise<number> {
  const hb = (await currentLicence(sql))?.claims.hb;
  return hb ? hb * 1000 : settings.heartbeatIntervalMs;
}

export interface ScheduleView {
  id: OwnedScheduleId;
  workflowType: string | null;
  note: string | null;
  paused: boolean;
  intervalMs: number | null;
  nextActionTimes: string[];
  recentActions: { scheduledAt: string; takenAt: string; workflowId: string }[];
  exists: boolean;
}

/** Every owned schedule as Temporal describes it now; one not created yet says so. */
export async function describeSchedules(client: Client): Promise<ScheduleView[]> {
  return Promise.all(
    ownedScheduleIds.map(async (id): Promise<ScheduleView> => {
      let d: ScheduleDescription;
      try {
        d = await client.schedule.getHandle(id).describe();
      } catch (err) {
        if (!(err instanceof ScheduleNotFoundError)) throw err;
        const none = { workflowType: null, note: null, paused: false, intervalMs: null };
        return { id, ...none, nextActionTimes: [], recentActions: [], exists: false };
      }
      const every = d.spec.intervals?.[0]?.every;
      return {
        id,
        workflowType: d.action.type === 'startWorkflow' ? d.action.workflowType : null,
        note: d.state.note ?? null,
        paused: d.state.paused,
        intervalMs: typeof every === 'number' ? every : null,
        nextActionTimes: d.info.nextActionTimes.map((t) => t.toISOString()),
        recentActions: d.info.recentActions.map((a) => ({
          scheduledAt: a.scheduledAt.toISOString(),
          takenAt: a.takenAt.toISOString(),
          workflowId: a.action.workflow.workflowId,
        })),
        exists: true,
      };
    }),
  );
}
