import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import type { AssetSettings } from '../../config/assets.ts';
import { assetProgressQuery } from '../../contracts/assets.ts';
import { workflows } from '../../contracts/workflows.ts';
import { createOrigin, type AssetOrigin } from '../../db/asset-origins.ts';
import { liveManifest } from '../../db/assets.ts';
import { executeWorkflow, startWorkflow } from '../../workers/start.ts';
import { assetEnv, assetSource, CONSOLE_ENTRY, testAssetSettings } from '../support/assets.ts';
import { until } from '../support/receiver.ts';
import { roomyRateLimits, startStackWorkers, unique, useStack } from '../support/stack.ts';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.ts';

const stack = useStack({ worker: false, ownDatabase: true });
const actor = { type: 'Operator' as const, id: 'vitest' };

describe.each(['fs', 's3'] as const)('an assets worker killed between upload and switch (%s origin)', (kind) => {
  let source: Awaited<ReturnType<typeof assetSource>>;
  let assets: { settings: AssetSettings; close(): Promise<void> };
  let origin: AssetOrigin;
  const children: WorkerProcess[] = [];

  beforeAll(async () => {
    source = await assetSource();
    assets = await testAssetSettings(kind, source.root);
    origin = createOrigin(assets.settings.origin);
  });
  afterAll(async () => {
    await Promise.all(children.map((c) => c.kill()));
    origin?.close();
    await assets?.close();
    await source?.remove();
    await stack.ownerSql`truncate asset_switches, asset_live, asset_builds`;
  });

  it('leaves the old build live, and the retried run switches to the new one', async () => {
    const input = { root: source.root, entries: [CONSOLE_ENTRY], actor };
    await source.setVersion('old');
    const inProcess = await startStackWorkers(stack, {
      assets: assets.settings,
    });
    const old = await executeWorkflow(stack.temporal, workflows.buildAssets, { key: unique('old') }, input);
    await inProcess.shutdown();

    const processEnv = {
      databaseUrl: stack.databaseUrl,
      temporalAddress: stack.temporalAddress,
      namespace: stack.namespace,
      smtpUrl: stack.mail.smtpUrl,
    };
    const paused = await startWorkerProcess({
      ...processEnv,
      extraEnv: { ...assetEnv(assets.settings), ASSETS_TEST_PAUSE_BEFORE_SWITCH_MS: '600000' },
    });
    children.push(paused);
    await source.setVersion('new');
    const handle = await startWorkflow(stack.temporal, workflows.buildAssets, { key: unique('new') }, input);
    const uploaded = await until(
      'the upload to finish and the switch to start',
      async () => {
        // Until the first workflow task runs, the query has no handler yet.
        const p = await handle.query(assetProgressQuery).catch(() => undefined);
        return p?.phase === 'switching' && p.filesDone === p.filesTotal ? p : undefined;
      },
      120_000,
    );
    await until('the switch activity to be pausing', () => paused.output().includes('pausing before the switch'));
    const [newBuild] = await stack.sql<{ id: number; keys: string[] }[]>`
      select id, (select array_agg(f->>'key') from jsonb_array_elements(files) f) as keys
      from asset_builds where id = ${uploaded.buildId!}`;
    for (const key of newBuild!.keys) expect(await origin.has(key), key).toBe(true);

    await paused.kill('SIGKILL');
    expect((await liveManifest(stack.sql))?.buildId).toBe(old.buildId);
    const app = createApp({
      sql: stack.sql,
      temporal: stack.temporal,
      logger: stack.logger,
      rateLimits: roomyRateLimits,
      licence: stack.licence,
      assets: assets.settings,
      assetOrigin: origin,
    });
    const oldEntry = (await liveManifest(stack.sql))!.manifest[CONSOLE_ENTRY]!.file;
    expect(await (await app.request('/console')).text()).toContain(`/${oldEntry}`);

    children.push(await startWorkerProcess({ ...processEnv, extraEnv: assetEnv(assets.settings) }));
    const result = await handle.result();
    expect(result).toMatchObject({ buildId: newBuild!.id, reused: false });
    const live = await liveManifest(stack.sql);
    expect(live?.buildId).toBe(newBuild!.id);
    const newEntry = live!.manifest[CONSOLE_ENTRY]!.file;
    expect(newEntry).not.toBe(oldEntry);
    expect(await (await app.request('/console')).text()).toContain(`/${newEntry}`);
    expect((await app.request(`/${newEntry}`)).status).toBe(200);
    const switches = await stack.sql`select from_build_id, to_build_id from asset_switches order by id`;
    expect(switches).toEqual([
      { from_build_id: null, to_build_id: old.buildId },
      { from_build_id: old.buildId, to_build_id: newBuild!.id },
    ]);
  }, 300_000);
});
