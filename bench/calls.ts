/** The two runs the provisioning benchmarks compare, against one bench stack. */
import { randomUUID } from 'node:crypto';
import { benchInsertRow } from './floor-workflow.ts';
import type { startBenchStack } from './stack.ts';

type BenchStack = Awaited<ReturnType<typeof startBenchStack>>;

/** The floor: a bare workflow whose one activity inserts one row, executed by a client. */
export const floorRun = (stack: BenchStack) => (i: number) =>
  stack.temporal.workflow.execute(benchInsertRow, {
    workflowId: `bench:${randomUUID()}`,
    taskQueue: 'capstan-bench',
    args: [`row-${i}`],
  });

/** `POST /v1/accounts` through the API, as a platform app sends it; anything but 201 fails the run. */
export const provisionRequest = (stack: BenchStack) => async () => {
  const key = randomUUID();
  const res = await fetch(`${stack.api.url}/v1/accounts`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${stack.platformToken}`,
      'content-type': 'application/json',
      'idempotency-key': key,
    },
    body: JSON.stringify({ name: 'Bench', admin: { name: 'Bench', email: `${key}@bench.test` } }),
  });
  if (res.status !== 201) throw new Error(`POST /v1/accounts answered ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
};

/**
 * `PATCH /v1/accounts/{id}/inboxes/{inboxId}` (a new name each time): a write with nothing after its transaction (no
 * mail, no deliveries), so its cost is the write path's own: the API, one workflow task, one local activity.
 */
export const inboxRenameRequest = (stack: BenchStack, accountId: number, inboxId: number) => async (i: number) => {
  const res = await fetch(`${stack.api.url}/v1/accounts/${accountId}/inboxes/${inboxId}`, {
    method: 'PATCH',
    headers: {
      authorization: `Bearer ${stack.platformToken}`,
      'content-type': 'application/json',
      'idempotency-key': randomUUID(),
    },
    body: JSON.stringify({ name: `Bench ${i} ${randomUUID().slice(0, 8)}` }),
  });
  if (res.status !== 200) throw new Error(`PATCH …/inboxes/{id} answered ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
};

/** A platform app's call to the API for a bench's set-up (an account, an inbox, a webhook): anything but 201 fails. */
export function apiCaller(stack: BenchStack) {
  const headers = { authorization: `Bearer ${stack.platformToken}`, 'content-type': 'application/json' };
  return async (method: string, path: string, body: unknown): Promise<any> => {
    const res = await fetch(`${stack.api.url}${path}`, { method, headers, body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
    return res.json();
  };
}
