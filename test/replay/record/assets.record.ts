import { afterAll, describe, expect, it } from 'vitest';
import { workflows } from '../../../contracts/workflows.ts';
import { startWorkflow } from '../../../workers/start.ts';
import { assetSource, CONSOLE_ENTRY, testAssetSettings } from '../../support/assets.ts';
import { startStackWorkers, unique, useStack } from '../../support/stack.ts';
import { saveHistory } from '../histories.ts';

// The live pointer is installation-wide: a database of its own.
const stack = useStack({ worker: false, ownDatabase: true });
const actor = { type: 'Operator' as const, id: 'recorder' };
const closers: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

describe('record the asset workflows', () => {
  it('two builds, a rollback and a collection', async () => {
    const source = await assetSource();
    closers.push(source.remove);
    const assets = await testAssetSettings('fs', source.root);
    closers.push(assets.close);
    const workers = await startStackWorkers(stack, {
      assets: assets.settings,
    });
    closers.push(() => workers.shutdown());

    const run = async <T extends keyof typeof workflows>(type: T, input: object, variant?: string) => {
      const entry = workflows[type] as (typeof workflows)['buildAssets'];
      const handle = await startWorkflow(stack.temporal, entry, { key: unique(type) }, input as never);
      const result = await handle.result();
      await saveHistory(stack, handle.workflowId, { type, variant });
      return result as unknown as Record<string, unknown>;
    };
    for (const version of ['v1', 'v2']) {
      await source.setVersion(version);
      await run('buildAssets', { root: source.root, entries: [CONSOLE_ENTRY], actor });
    }
    expect(await run('rollbackAssets', { actor })).toBeTruthy();
    expect(await run('collectAssetGarbage', { keepPrevious: 0, keepYoungerThanMs: 0, actor })).toBeTruthy();
  });
});
