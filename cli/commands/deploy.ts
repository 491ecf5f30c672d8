import { type Client, WorkflowFailedError } from '@temporalio/client';
import { SingleBar } from 'cli-progress';
import { msToNumber } from '@temporalio/common/lib/time.js';
import { loadEnv, type Env } from '../../config/env.ts';
import { localDatabaseUrl } from '../../db/embedded.ts';
import { actorSecret } from '../../db/installation.ts';
import { createPool } from '../../db/pool.ts';
import { cancelSignal, progressQuery, type DeployOutcome, type DeployProgress } from '../../contracts/deploys.ts';
import type { Actor } from '../../contracts/common.ts';
import { workflows } from '../../contracts/workflows.ts';
import { startDeploy } from '../../workers/start-deploy.ts';
import { connectClient, temporalAccessOf } from '../../workers/connect.ts';

export interface DeployOptions {
  owner?: string;
  commit?: string;
  env?: string[];
  unset?: string[];
  deadline?: string;
  rollback?: boolean;
  follow?: boolean;
}

const workflowIdOf = (ownerId: string, appId: string) => workflows.deployApplication.id({ ownerId, appId });

/** The same access (TLS, API key, payload keys) as the workers, signing actors with the installation's secret. */
async function temporalClient(env: Env): Promise<Client> {
  const { access } = await temporalAccessOf(env, env.TEMPORAL_ADDRESS ?? `127.0.0.1:${env.TEMPORAL_PORT}`);
  const sql = createPool({ url: env.DATABASE_URL ?? localDatabaseUrl(env.EMBEDDED_POSTGRES_PORT), max: 1 });
  try {
    return await connectClient(access, { actorSecret: await actorSecret(sql) });
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** `capstan deploy <app>` and `capstan deploy status|cancel|history <app>`: straight to Temporal, so it works with the API down. */
export async function deployCommand(first: string, second: string | undefined, options: DeployOptions): Promise<void> {
  const env = loadEnv();
  const owner = options.owner ?? env.CLEVER_OWNER_ID ?? 'self';
  const [action, app] = ['status', 'cancel', 'history'].includes(first) && second ? [first, second] : ['start', first];
  if (action === 'history') return history(env, owner, app);
  const client = await temporalClient(env);
  try {
    const handle = client.workflow.getHandle(workflowIdOf(owner, app));
    if (action === 'status') return printStatus(await handle.describe().then(() => handle.query(progressQuery)));
    if (action === 'cancel') {
      await handle.signal(cancelSignal);
      console.log(`cancel requested for ${workflowIdOf(owner, app)}`);
      return;
    }
    await start(client, owner, app, options, { type: 'Operator', id: env.USER ?? 'cli' });
    if (options.follow) await follow(client, owner, app);
  } finally {
    await client.connection.close();
  }
}

async function start(client: Client, owner: string, app: string, options: DeployOptions, actor: Actor): Promise<void> {
  const envChanges: Record<string, string | null> = {};
  for (const pair of options.env ?? []) {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`--env ${pair}: expected NAME=value`);
    envChanges[pair.slice(0, at)] = pair.slice(at + 1);
  }
  for (const name of options.unset ?? []) envChanges[name] = null;
  const deadlineMs = options.deadline === undefined ? undefined : parseDuration(options.deadline);
  const started = await startDeploy(client, {
    ownerId: owner,
    appId: app,
    commit: options.commit,
    env: envChanges,
    deadlineMs,
    autoRollback: options.rollback,
    actor,
  });
  if (started.outcome === 'already_running') {
    throw new Error(
      `a deploy of ${app} is already running (${started.workflowId}); follow it with: capstan deploy status ${app} --owner ${owner}`,
    );
  }
  console.log(`deploy started: ${started.workflowId} (run ${started.runId})`);
}

/** A live line: phase, Clever Cloud state and time against the deadline, until the deploy ends. */
async function follow(client: Client, owner: string, app: string): Promise<void> {
  const handle = client.workflow.getHandle(workflowIdOf(owner, app));
  const bar = new SingleBar({
    format: '  {phase} {state} [{bar}] {elapsed}s / {total}s  {deployment}',
    noTTYOutput: true,
    notTTYSchedule: 5_000,
    stream: process.stderr,
    hideCursor: true,
  });
  let started = false;
  const result = handle.result();
  let done = false;
  void result.finally(() => (done = true)).catch(() => {});
  while (!done) {
    const p = await handle.query(progressQuery).catch(() => undefined);
    if (p) {
      const total = Math.round((p.elapsedMs + p.timeLeftMs) / 1000);
      const payload = {
        phase: p.phase.padEnd(12),
        state: (p.state ?? '-').padEnd(10),
        elapsed: Math.round(p.elapsedMs / 1000),
        deployment: p.deploymentId ?? '',
      };
      if (!started) {
        bar.start(total, 0, payload);
        started = true;
      }
      bar.update(Math.min(total, Math.round(p.elapsedMs / 1000)), payload);
    }
    await Promise.race([result.catch(() => {}), new Promise((r) => setTimeout(r, 500))]);
  }
  if (started) bar.stop();
  try {
    const outcome: DeployOutcome = await result;
    console.log(
      `deploy ${outcome.status}: ${outcome.commit}${outcome.rollback ? `; rolled back to ${outcome.rollback.commit} (${outcome.rollback.state})` : ''}`,
    );
    if (outcome.status !== 'succeeded') process.exitCode = 1;
  } catch (err) {
    const cause = err instanceof WorkflowFailedError ? (err.cause?.message ?? err.message) : String(err);
    console.error(`deploy failed: ${cause}`);
    process.exitCode = 1;
  }
}

function printStatus(p: DeployProgress): void {
  console.log(
    [
      `phase       ${p.phase}`,
      `commit      ${p.commit ?? '-'}`,
      `deployment  ${p.deploymentId ?? '-'}`,
      `state       ${p.state ?? '-'}`,
      `elapsed     ${seconds(p.elapsedMs)}`,
      `time left   ${seconds(p.timeLeftMs)}`,
    ]
      .concat(p.rollbackCommit ? [`rollback to ${p.rollbackCommit}`] : [])
      .join('\n'),
  );
}

async function history(env: Env, owner: string, app: string): Promise<void> {
  const sql = createPool({ url: env.DATABASE_URL ?? localDatabaseUrl(env.EMBEDDED_POSTGRES_PORT), max: 1 });
  try {
    const rows = await sql<
      {
        id: number;
        commit: string;
        outcome: string;
        rollback_of: number | null;
        requested_at: Date;
        finished_at: Date | null;
        requested_by: string;
      }[]
    >`
      select id, commit, outcome, rollback_of, requested_at, finished_at, requested_by from deployments
       where owner_id = ${owner} and app_id = ${app} order by id desc limit 20`;
    for (const r of rows) {
      const took = r.finished_at ? seconds(r.finished_at.getTime() - r.requested_at.getTime()) : 'running';
      console.log(
        `${r.requested_at.toISOString()}  ${r.commit.slice(0, 12).padEnd(12)}  ${r.outcome.padEnd(9)}  ${took.padEnd(8)}  ${r.rollback_of ? `rollback of #${r.rollback_of}` : ''}  ${r.requested_by}`,
      );
    }
    if (!rows.length) console.log(`no deploys of ${owner}/${app} recorded`);
  } finally {
    await sql.end();
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/** `20m`, `90s`, `1h` (the SDK's own duration format); a bare number is milliseconds. */
function parseDuration(text: string): number {
  let value: number;
  try {
    value = msToNumber(/^\d+$/.test(text) ? Number(text) : (text as never));
  } catch {
    value = Number.NaN;
  }
  if (!(value > 0)) throw new Error(`--deadline ${text}: expected a duration such as 20m`);
  return value;
}
