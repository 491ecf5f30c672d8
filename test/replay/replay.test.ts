import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '../../config/logger.ts';
import { installRuntime } from '../../workers/runtime.ts';
import { catalogueTypes, loadHistories, replayErrors } from './histories.ts';

// The bundle global setup made with workers/bundle.ts: the very code, interceptors and failure converter workers run.
const bundle = { codePath: inject('workflowBundlePath') };
beforeAll(() => installRuntime(createLogger({ level: 'silent' })));

describe('recorded histories (test/histories/) against the current workflow code', () => {
  it('cover every workflow type of the catalogue', async () => {
    const recorded = new Set((await loadHistories()).map((h) => h.type));
    const missing = catalogueTypes.filter((type) => !recorded.has(type));
    expect(missing, 'record them: npm run histories:record').toEqual([]);
    expect([...recorded].filter((type) => !catalogueTypes.includes(type))).toEqual([]);
  });

  it('all replay without a determinism violation', async () => {
    const histories = await loadHistories();
    expect(histories.length).toBeGreaterThanOrEqual(catalogueTypes.length);
    expect(await replayErrors(bundle, histories)).toEqual({});
  });
});
