import {
  CancellationScope,
  log,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { activityOptions } from '../config/catalogue.ts';
import type { AssetActivities } from '../contracts/activities.ts';
import {
  assetProgressQuery,
  type AssetBuildResult,
  type AssetCollection,
  type AssetPhase,
  type AssetProgress,
  type AssetSwitch,
  type StagedFile,
} from '../contracts/assets.ts';
import { workflows, type WorkflowInput } from '../contracts/workflows.ts';
import { actingFor, vouchedWrite } from './acting-for.ts';
import { parseInput } from './validation.ts';

const a = proxyActivities<AssetActivities>(activityOptions.assetPhase);
/** Files per compress or upload activity: progress moves between batches, and a retry redoes one batch at most. */
const BATCH = 25;

const batches = <T>(items: T[]): T[][] =>
  Array.from({ length: Math.ceil(items.length / BATCH) }, (_, i) => items.slice(i * BATCH, (i + 1) * BATCH));

/**
 * Hash the sources (a known hash reuses its build), bundle, write the
 * manifest, precompress, upload every new file, then switch the live
 * manifest in one transaction and record the phase durations. Until the
 * switch the old build stays live, whatever happens to the workers.
 */
export async function buildAssets(raw: WorkflowInput<typeof workflows.buildAssets>): Promise<AssetBuildResult> {
  const input = parseInput(workflows.buildAssets.input, raw);
  // Answerable from the run's first task: a query sent while the actor check runs used to find no handler.
  const progress: AssetProgress = { phase: 'hashing', filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0 };
  setHandler(assetProgressQuery, () => progress);
  await actingFor(raw, input.actor);
  const { workflowId } = workflowInfo();
  const phaseMs: Record<string, number> = {};
  const phase = async <T>(name: AssetPhase, work: () => Promise<T>): Promise<T> => {
    progress.phase = name;
    setCurrentDetails(`**${name}**${progress.sourceHash ? ` · sources \`${progress.sourceHash.slice(0, 12)}\`` : ''}`);
    const started = Date.now();
    const result = await work();
    phaseMs[name] = (phaseMs[name] ?? 0) + Date.now() - started;
    return result;
  };
  const counting = (files: number, bytes: number) =>
    Object.assign(progress, { filesDone: 0, filesTotal: files, bytesDone: 0, bytesTotal: bytes });

  const hashed = await phase('hashing', () => a.hashAssetSources(input));
  const { sourceHash } = hashed;
  progress.sourceHash = sourceHash;
  const known = await a.findReadyAssetBuild({ sourceHash });
  if (known) {
    Object.assign(progress, { buildId: known.buildId, reused: true });
    await phase('switching', () => a.switchLiveAssets({ buildId: known.buildId, actor: input.actor, workflowId }));
    progress.phase = 'done';
    setCurrentDetails(`**done** · reused build ${known.buildId}`);
    return {
      buildId: known.buildId,
      sourceHash,
      reused: true,
      uploadedFiles: 0,
      uploadedBytes: 0,
      files: known.files,
      totalBytes: known.totalBytes,
      phaseMs,
    };
  }

  try {
    const bundled = await phase('bundling', () =>
      a.bundleAssets({ root: input.root, entries: input.entries, sourceHash }),
    );
    const manifest = await phase('manifest', () => a.writeAssetManifest({ sourceHash, entries: input.entries }));
    const variants: StagedFile[] = [];
    counting(bundled.length, 0);
    await phase('compressing', async () => {
      for (const batch of batches(bundled.map((f) => f.key))) {
        variants.push(...(await a.compressAssets({ sourceHash, keys: batch })));
        progress.filesDone += batch.length;
      }
    });
    const files = [...bundled, ...variants];
    const totalBytes = files.reduce((n, f) => n + f.bytes, 0);
    const buildId = await a.registerAssetBuild({ sourceHash, entries: input.entries, files, workflowId });
    progress.buildId = buildId;

    counting(files.length, totalBytes);
    let uploadedFiles = 0;
    let uploadedBytes = 0;
    await phase('uploading', async () => {
      for (const batch of batches(files)) {
        const sent = await a.uploadAssets({ sourceHash, files: batch });
        uploadedFiles += sent.uploadedFiles;
        uploadedBytes += sent.uploadedBytes;
        progress.filesDone += batch.length;
        progress.bytesDone += batch.reduce((n, f) => n + f.bytes, 0);
      }
    });
    await phase('recording', () =>
      a.markAssetBuildReady({ buildId, manifest, uploadedFiles, uploadedBytes, phaseMs: { ...phaseMs } }),
    );
    await phase('switching', () => a.switchLiveAssets({ buildId, actor: input.actor, workflowId }));
    await a.recordAssetPhases({ buildId, phaseMs });
    progress.phase = 'done';
    setCurrentDetails(`**done** · build ${buildId} live · ${uploadedFiles} files uploaded`);
    return {
      buildId,
      sourceHash,
      reused: false,
      uploadedFiles,
      uploadedBytes,
      files: files.length,
      totalBytes,
      phaseMs,
    };
  } finally {
    // Success or failure, the stage is done with; a retried build stages afresh. A removal that fails is the sweep's.
    if (patched('asset-staging-pruned'))
      await CancellationScope.nonCancellable(() => a.removeAssetStaging({ sourceHash })).catch((err: unknown) =>
        log.warn('asset staging not removed; the assets GC sweeps it', { sourceHash, err }),
      );
  }
}

/** Makes a kept build live again in one switch (default: the newest ready build before the live one), audited. */
export async function rollbackAssets(raw: WorkflowInput<typeof workflows.rollbackAssets>): Promise<AssetSwitch> {
  const input = parseInput(workflows.rollbackAssets.input, raw);
  return vouchedWrite(raw, input.actor, a.rollbackLiveAssets, {
    buildId: input.buildId,
    actor: input.actor,
    workflowId: workflowInfo().workflowId,
  });
}

/**
 * Marks the builds retention does not keep as deleted, deletes the files no remaining build references, then sweeps
 * the staging directories lost builds left (on this worker's disk).
 */
export async function collectAssetGarbage(
  raw?: WorkflowInput<typeof workflows.collectAssetGarbage>,
): Promise<AssetCollection> {
  const input = parseInput(workflows.collectAssetGarbage.input, raw);
  await actingFor(raw, input.actor);
  setCurrentDetails('**marking** builds beyond retention');
  const collected = await a.collectAssetBuilds({
    keepPrevious: input.keepPrevious,
    keepYoungerThanMs: input.keepYoungerThanMs,
  });
  setCurrentDetails(`**deleting** files of ${collected.deletedBuilds.length} builds`);
  const { deletedFiles } = await a.purgeAssetFiles();
  const swept = patched('asset-staging-swept')
    ? await a.sweepAssetStaging({ olderThanMs: input.stagingOlderThanMs })
    : { removedStages: undefined };
  const stages = swept.removedStages === undefined ? '' : ` and ${swept.removedStages} leftover stages`;
  setCurrentDetails(`**done** · kept ${collected.keptBuilds.length} builds, deleted ${deletedFiles} files${stages}`);
  return { ...collected, deletedFiles, ...swept };
}
