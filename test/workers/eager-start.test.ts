import { describe, expect, it } from 'vitest';
import { isDeadlineExceeded } from '../../api/write.ts';
import { workflows } from '../../contracts/workflows.ts';
import { actorSecret } from '../../db/installation.ts';
import { issueToken } from '../../db/tokens.ts';
import { eagerClient } from '../../workers/connect.ts';
import { startOptions } from '../../workers/start.ts';
import { startStackWorkers, unique, useStack } from '../support/stack.ts';

const stack = useStack({ worker: false });

describe('eager workflow start (capstan up: API and workers in one process)', () => {
  it('hands the first task to a worker of this process, and a wait past its deadline still reads as one', async () => {
    const workers = await startStackWorkers(stack);
    try {
      const client = eagerClient(workers.connection, stack.access, { actorSecret: await actorSecret(stack.sql) });
      const token = issueToken();
      const key = unique('eager');
      const handle = await client.workflow.start(
        workflows.provisionAccount.type,
        startOptions(
          workflows.provisionAccount,
          { key },
          {
            idempotencyKey: key,
            name: 'Eager',
            admin: { name: 'Ea', email: `${key}@eager.test` },
            token: { sha256: token.sha256, prefix: token.prefix },
            actor: { type: 'Operator', id: 'vitest' },
          },
        ),
      );
      expect(handle.eagerlyStarted).toBe(true);
      expect((await handle.result()).created).toBe(true);

      // No worker polls this queue: the start is not eager. The native connection answers a passed deadline with
      // CANCELLED at times; the API's 202 path must still see DEADLINE_EXCEEDED (it answered 500 before the fix).
      const idle = await client.workflow.start('nobodyRunsThis', {
        taskQueue: unique('idle'),
        workflowId: unique('idle'),
      });
      expect(idle.eagerlyStarted).toBe(false);
      const waited = await client.withDeadline(Date.now() + 300, () => idle.result()).catch((err: unknown) => err);
      expect(isDeadlineExceeded(waited), String(waited)).toBe(true);
      await idle.terminate('test over');
    } finally {
      await workers.shutdown();
    }
  });
});
