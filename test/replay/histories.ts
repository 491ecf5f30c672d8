import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Client } from '@temporalio/client';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import { format } from 'prettier';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import type { temporal } from '@temporalio/proto';
import { workflows } from '../../contracts/workflows.ts';
import { failureConverterPath } from '../../workers/bundle.ts';
import type { TestStack } from '../support/stack.ts';

type History = temporal.api.history.v1.IHistory;
type WorkflowBundle = { code: string } | { codePath: string };

const historiesDir = fileURLToPath(new URL('../histories/', import.meta.url));
export const catalogueTypes: string[] = Object.values(workflows).map((e) => e.type);

/** `<type>.json` or `<type>-<variant>.json`; the replay tests read the type from the history itself. */
const historyFile = (type: string, variant?: string) => `${type}${variant ? `-${variant}` : ''}.json`;

const isPayload = (v: unknown): v is Payload =>
  !!v && typeof v === 'object' && 'metadata' in v && !!(v as Payload).metadata?.encoding;

/** Every payload of the history through the codec: inputs, results, markers, signals, failure details, headers. */
async function decoded(value: unknown, codec: PayloadCodec): Promise<unknown> {
  if (isPayload(value)) return (await codec.decode([value]))[0];
  if (Array.isArray(value)) return Promise.all(value.map((v) => decoded(v, codec)));
  if (!value || typeof value !== 'object' || value instanceof Uint8Array || Buffer.isBuffer(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = await decoded(v, codec);
  return out;
}

/**
 * Saves a run's history as the server holds it, every payload decoded with the run's keys: the file
 * is readable and replays without them. Long-lived runs may be saved mid-flight.
 */
export async function saveHistory(
  stack: TestStack,
  workflowId: string,
  name: { type: string; variant?: string },
): Promise<string> {
  const raw = new Client({ connection: stack.temporal.connection, namespace: stack.namespace });
  const history = await raw.workflow.getHandle(workflowId).fetchHistory();
  const first = history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;
  if (first !== name.type) throw new Error(`${workflowId} is a ${first} run, not ${name.type}`);
  const plain = (await decoded(history, stack.access.codec)) as History;
  await mkdir(historiesDir, { recursive: true });
  const file = historyFile(name.type, name.variant);
  // Formatted as `npm run lint` wants it: a re-recording diffs only where the history changed.
  await writeFile(`${historiesDir}${file}`, await format(historyToJSON(plain), { parser: 'json', printWidth: 120 }));
  return file;
}

/** The newest run of a type in this namespace (closed first, unless `running`): for runs the API starts. */
async function latestRunOf(stack: TestStack, type: string, running = false): Promise<string> {
  const status = running ? `ExecutionStatus = 'Running'` : `ExecutionStatus != 'Running'`;
  for (let tries = 0; tries < 100; tries++) {
    for await (const run of stack.temporal.workflow.list({ query: `WorkflowType = '${type}' AND ${status}` }))
      return run.workflowId;
    await new Promise((r) => setTimeout(r, 100)); // visibility trails the run by a moment
  }
  throw new Error(`no ${running ? 'running' : 'closed'} ${type} run to record`);
}

export const saveLatest = async (stack: TestStack, type: string, variant?: string, running = false) =>
  saveHistory(stack, await latestRunOf(stack, type, running), { type, variant });

export interface StoredHistory {
  file: string;
  type: string;
  workflowId: string;
  history: History;
}

/** Every recorded history, with the workflow type its first event names. */
export async function loadHistories(): Promise<StoredHistory[]> {
  const files = (await readdir(historiesDir)).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(
    files.map(async (file) => {
      const history = historyFromJSON(JSON.parse(await readFile(`${historiesDir}${file}`, 'utf8'))) as History;
      const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
      // The recorded id: workflows derive ids from their own (children, keys), so replay must use the same.
      return { file, type: started?.workflowType?.name ?? '', workflowId: started?.workflowId ?? file, history };
    }),
  );
}

/**
 * A replay worker as production's (workers/core.ts): the given bundle, which carries the workflow interceptors
 * (request id, dead letters) and failure converter, and the data converter without its codec: histories are stored
 * decoded.
 */
const replayOptions = (workflowBundle: WorkflowBundle): ReplayWorkerOptions => ({
  workflowBundle,
  dataConverter: { failureConverterPath },
  replayName: 'capstan-replay',
});

/** Replays each history; the error of each that failed, by file. */
export async function replayErrors(bundle: WorkflowBundle, stored: StoredHistory[]): Promise<Record<string, string>> {
  const errors: Record<string, string> = {};
  const histories = stored.map(({ workflowId, history }) => ({ workflowId, history }));
  let i = 0; // results come in the order given
  for await (const { error } of Worker.runReplayHistories(replayOptions(bundle), histories)) {
    if (error) errors[stored[i]!.file] = `${error.name}: ${error.message}`;
    i++;
  }
  return errors;
}

/** The patch ids a run's history recorded (`patched()` / `deprecatePatch()` markers). */
export const patchesOf = ({ history }: StoredHistory): string[] =>
  (history.events ?? []).flatMap((e) => {
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_patch') return [];
    const payloads = Object.values(marker.details ?? {}).flatMap((p) => p.payloads ?? []);
    return payloads.map((p) => (JSON.parse(Buffer.from(p.data ?? []).toString('utf8')) as { id: string }).id);
  });

/** The activity types of a history's local activities, in order (their markers). */
export const localActivitiesOf = ({ history }: StoredHistory): string[] =>
  (history.events ?? []).flatMap((e) => {
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_local_activity') return [];
    const [payload] = marker.details?.data?.payloads ?? [];
    return [(JSON.parse(Buffer.from(payload?.data ?? []).toString('utf8')) as { activity_type: string }).activity_type];
  });
