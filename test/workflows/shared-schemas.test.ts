import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleWorkflows } from '../../workers/bundle.ts';
import { connectWorker, dataConverterOf } from '../../workers/connect.ts';
import { installRuntime } from '../../workers/runtime.ts';
import { useStack } from '../support/stack.ts';

const stack = useStack({ worker: false });
const taskQueue = `shared-schemas-${randomUUID()}`;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  installRuntime(stack.logger);
  const workflowsPath = fileURLToPath(new URL('./fixtures/shared-schemas.ts', import.meta.url));
  const workflowBundle = await bundleWorkflows(workflowsPath);
  worker = await Worker.create({
    connection: await connectWorker(stack.access),
    namespace: stack.namespace,
    taskQueue,
    workflowBundle,
    dataConverter: dataConverterOf(stack.access.codec),
    // One workflow thread: the runs below share its V8 context, as a worker's runs do.
    workflowThreadPoolSize: 1,
  });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
});

const run = (type: string, input: unknown) =>
  stack.temporal.workflow.execute(type, { workflowId: `shared-schemas:${randomUUID()}`, taskQueue, args: [input] });

const failureOf = (type: string, input: unknown) =>
  run(type, input).then(
    () => expect.fail('the run should have failed'),
    (err: unknown) => {
      expect(err).toBeInstanceOf(WorkflowFailedError);
      return (err as WorkflowFailedError).cause as ApplicationFailure;
    },
  );

describe('schemas shared by the runs of a workflow thread (workflows/preload.ts)', () => {
  it('builds a schema in the first run that parses and reuses it in the next, while module state stays per run', async () => {
    expect(await run('parseProbe', { name: ' first ' })).toEqual({ name: 'first', builtByThisRun: true });
    expect(await run('parseProbe', { name: 'second' })).toEqual({ name: 'second', builtByThisRun: false });
  });

  it('fails a later run on bad input at once, without retrying, naming the field', async () => {
    await run('parseProbe', { name: 'warm' });
    const cause = await failureOf('parseProbe', { name: '  ' });
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect(cause).toMatchObject({ type: 'ValidationError', nonRetryable: true });
    expect(cause.details?.[0]).toEqual([expect.objectContaining({ field: 'name' })]);
  });

  it('parses a contract schema the first run built: good input passes, bad input is a ValidationError', async () => {
    const input = {
      idempotencyKey: randomUUID(),
      name: 'Initech',
      admin: { name: 'Peter', email: ' Peter@Initech.test ' },
      signInLink: { expiresAt: '2030-01-01T00:00:00Z' },
      actor: { type: 'Operator', id: 'vitest' },
    };
    expect(await run('parseProvisionInput', input)).toBe('peter@initech.test');
    const cause = await failureOf('parseProvisionInput', { ...input, admin: { name: 'Peter', email: 'nope' } });
    expect(cause).toMatchObject({ type: 'ValidationError', nonRetryable: true });
    expect(cause.details?.[0]).toEqual([expect.objectContaining({ field: 'admin.email' })]);
  });
});
