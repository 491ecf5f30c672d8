import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssetSettings } from '../../config/assets.ts';
import { assetProgressQuery } from '../../contracts/assets.ts';
import { workflows } from '../../contracts/workflows.ts';
import { executeWorkflow, startWorkflow } from '../../workers/start.ts';
import type { RunningWorkers } from '../../workers/run.ts';
import { assetSource, CONSOLE_ENTRY, testAssetSettings } from '../support/assets.ts';
import { until } from '../support/receiver.ts';
import { startStackWorkers, unique, useStack } from '../support/stack.ts';

const stack = useStack({ worker: false, ownDatabase: true });
const actor = { type: 'Operator' as const, id: 'vitest' };
const DAY = 24 * 3_600_000;

describe('asset staging directories', () => {
  let source: Awaited<ReturnType<typeof assetSource>>;
  let assets: { settings: AssetSettings; close(): Promise<void> };
  let workers: RunningWorkers;
  const stages = async () => (await readdir(assets.settings.stagingDir).catch(() => [])).sort();
  const buildOf = (entries = [CONSOLE_ENTRY]) =>
    startWorkflow(
      stack.temporal,
      workflows.buildAssets,
      { key: unique('build') },
      { root: source.root, entries, actor },
    );
  const collect = () =>
    executeWorkflow(stack.temporal, workflows.collectAssetGarbage, { key: unique('gc') }, { actor });

  beforeAll(async () => {
    source = await assetSource();
    // Every build waits before its switch, so a test can find one running.
    assets = await testAssetSettings('fs', source.root, { pauseBeforeSwitchMs: 1_500, stagingRetentionMs: DAY });
    workers = await startStackWorkers(stack, { assets: assets.settings });
  });
  afterAll(async () => {
    await workers?.shutdown();
    await assets?.close();
    await source?.remove();
  });

  it('are removed when a build finishes, and when it fails', async () => {
    await source.setVersion(unique('v'));
    const built = await (await buildOf()).result();
    expect(built.reused).toBe(false);
    expect(await stages()).toEqual([]);

    await source.setVersion(unique('v'));
    const broken = await buildOf(['web/src/no-such-entry.tsx']);
    await expect(broken.result()).rejects.toThrow(WorkflowFailedError);
    expect(await stages()).toEqual([]);
  });

  it('are swept by the assets GC once a lost build left them past the retention; a running build keeps its own', async () => {
    const orphan = join(assets.settings.stagingDir, 'f'.repeat(64));
    const recent = join(assets.settings.stagingDir, 'e'.repeat(64));
    for (const dir of [orphan, recent]) {
      await mkdir(join(dir, 'out'), { recursive: true });
      await writeFile(join(dir, 'metafile.json'), '{}');
    }
    const old = new Date(Date.now() - 2 * DAY);
    await utimes(orphan, old, old);
    const younger = new Date(Date.now() - DAY / 2);
    await utimes(recent, younger, younger);

    await source.setVersion(unique('v'));
    const running = await buildOf();
    const sourceHash = await until('the build to reach its switch', async () => {
      const p = await running.query(assetProgressQuery);
      return p.phase === 'switching' && p.sourceHash;
    });
    const [stage] = (await stages()).filter((name) => name.startsWith(`${sourceHash}-`));
    expect(stage).toBeDefined();
    expect(await stages()).toEqual([stage, recent.slice(-64), orphan.slice(-64)].sort());

    const collected = await collect();
    expect(collected.removedStages).toBe(1);
    expect(existsSync(orphan)).toBe(false);
    expect(existsSync(recent)).toBe(true);
    expect(existsSync(join(assets.settings.stagingDir, stage!, 'out'))).toBe(true);

    await running.result();
    expect(await stages()).toEqual([recent.slice(-64)]);
  });

  it('are one per run: two builds of the same sources at once each keep their own until they end', async () => {
    await source.setVersion(unique('v'));
    const [first, second] = [await buildOf(), await buildOf()];
    const hashes = await Promise.all(
      [first, second].map((run) =>
        until('the build to reach its switch', async () => {
          const p = await run.query(assetProgressQuery);
          return p.phase === 'switching' && p.sourceHash;
        }),
      ),
    );
    expect(hashes[0]).toBe(hashes[1]);
    const both = (await stages()).filter((name) => name.startsWith(`${hashes[0]}-`));
    expect(both).toHaveLength(2);
    // The first to end removes its own stage only; the second still switches and ends well.
    await first.result();
    await second.result();
    expect((await stages()).filter((name) => name.startsWith(`${hashes[0]}-`))).toEqual([]);
  });
});
