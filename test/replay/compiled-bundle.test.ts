import { beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../config/logger.ts';
import type * as bundling from '../../workers/bundle.ts';
import { installRuntime } from '../../workers/runtime.ts';
import { loadHistories, replayErrors } from './histories.ts';

beforeAll(() => installRuntime(createLogger({ level: 'silent' })));

describe("the workflow bundle made from a checkout's compiled build (bin/build.js)", () => {
  // webpack reads compiled .js as ES modules: what zod becomes in the bundle (workers/bundle.ts) must still load.
  it('parses inputs and replays the recorded runs of a write', async () => {
    const builder = new URL('../../bin/build.js', import.meta.url).href;
    const { ensureBuild } = (await import(builder)) as { ensureBuild(): Promise<string> };
    const build = await ensureBuild();
    const { bundleWorkflows } = (await import(`${build}/workers/bundle.js`)) as typeof bundling;
    const bundle = await bundleWorkflows();
    const histories = (await loadHistories()).filter((h) => h.type === 'provisionAccount' || h.type === 'createInbox');
    expect(histories.length).toBeGreaterThan(1);
    expect(await replayErrors(bundle, histories)).toEqual({});
  });
});
