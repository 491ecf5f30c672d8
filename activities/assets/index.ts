import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Context } from '@temporalio/activity';
import type { AssetSettings } from '../../config/assets.ts';
import type { Logger } from '../../config/logger.ts';
import type { AssetCollection, AssetSwitch, StagedFile } from '../../contracts/assets.ts';
import type { AssetActivities } from '../../contracts/activities.ts';
import type { Actor } from '../../contracts/common.ts';
import { contentTypeOf, planRetention, type ViteManifest } from '../../domain/assets.ts';
import { stagingDirOf, type AssetOrigin } from '../../db/asset-origins.ts';
import {
  assetBuild,
  assetBuildBySourceHash,
  filesToPurge,
  lockLiveBuild,
  markAssetBuildReady,
  markAssetBuildsDeleted,
  markAssetBuildsPurged,
  pointLiveAt,
  previousReadyBuild,
  registerAssetBuild,
  retentionCandidates,
  switchOfRun,
} from '../../db/assets.ts';
import type { Sql } from '../../db/pool.ts';
import { createProofs } from '../proofs.ts';
import { finalIfPermanent, refuse } from '../failures.ts';
import { audit } from '../audit.ts';
import { eachHeartbeating, whileHeartbeating } from './heartbeat.ts';
import { bundle, hashSources, outDirOf, precompress, writeManifest } from './stage.ts';
import { removeStage, sweepStages, touchStage } from './staging.ts';

const UPLOAD_CONCURRENCY = 8;
/** A precompressed variant is served with its original's type. */
const typeOfKey = (key: string) => contentTypeOf(key.replace(/\.(br|gz)$/, ''));

export interface AssetActivityDeps {
  sql: Sql;
  logger: Logger;
  settings: AssetSettings;
  origin: AssetOrigin;
}

/** The build run an activity works for, as a short file-name-safe key: its workflow id. */
const runKeyOf = (context: Context): string =>
  createHash('sha256')
    .update(context.info.workflowExecution?.workflowId ?? context.info.activityId)
    .digest('hex')
    .slice(0, 16);

/** The activities of `capstan-assets`: the build phases, the live switch and garbage collection. */
export function createAssetActivities({ sql: pool, logger, settings, origin }: AssetActivityDeps): AssetActivities {
  const proofs = createProofs({ sql: pool });
  const { sql } = proofs;
  const stageOf = (sourceHash: string) => stagingDirOf(settings.stagingDir, sourceHash, runKeyOf(Context.current()));
  const inStage = (sourceHash: string) => touchStage(stageOf(sourceHash));

  async function switchLive(cmd: {
    buildId?: number;
    reason: 'build' | 'rollback';
    actor: Actor;
    workflowId: string;
  }): Promise<AssetSwitch> {
    return sql
      .begin(async (tx) => {
        const done = await switchOfRun(tx, cmd.workflowId);
        if (done) return { ...done, changed: true };
        const live = await lockLiveBuild(tx);
        const target = cmd.buildId ?? (live === null ? null : await previousReadyBuild(tx, live));
        if (target === null) refuse('NotFound', 'There is no earlier kept build to roll back to.');
        const build = await assetBuild(tx, target);
        if (build?.status !== 'ready')
          refuse('NotFound', `Build ${target} is not a kept, finished build (${build?.status ?? 'unknown'}).`);
        if (live === target) return { fromBuildId: live, toBuildId: target, changed: false };
        const actor = `${cmd.actor.type}:${cmd.actor.id}`;
        await pointLiveAt(tx, {
          fromBuildId: live,
          toBuildId: target,
          reason: cmd.reason,
          actor,
          workflowId: cmd.workflowId,
        });
        await audit(tx, {
          accountId: null,
          actor: cmd.actor,
          action: cmd.reason === 'rollback' ? 'assets.rolled_back' : 'assets.switched',
          subject: 'AssetBuild',
          subjectId: target,
          details: { from: live },
          workflowId: cmd.workflowId,
        });
        logger.info({ from: live, to: target, reason: cmd.reason }, 'live assets switched');
        return { fromBuildId: live, toBuildId: target, changed: true };
      })
      .catch(finalIfPermanent);
  }

  return proofs.vouchAll({
    ...proofs.activities,

    hashAssetSources: (input) => hashSources(input),

    async findReadyAssetBuild({ sourceHash }) {
      const build = await assetBuildBySourceHash(sql, sourceHash);
      return build?.status === 'ready'
        ? { buildId: build.id, files: build.files.length, totalBytes: build.totalBytes }
        : null;
    },

    bundleAssets: async ({ root, entries, sourceHash }) => bundle({ stage: await inStage(sourceHash), root, entries }),

    writeAssetManifest: async ({ sourceHash, entries }) => writeManifest({ stage: await inStage(sourceHash), entries }),

    compressAssets: async ({ sourceHash, keys }) => precompress({ stage: await inStage(sourceHash), keys }),

    registerAssetBuild: (build) => registerAssetBuild(sql, build),

    async uploadAssets({ sourceHash, files }) {
      const out = outDirOf(await inStage(sourceHash));
      let uploadedFiles = 0;
      let uploadedBytes = 0;
      await eachHeartbeating(
        files,
        UPLOAD_CONCURRENCY,
        async (file: StagedFile) => {
          // Fingerprinted: a key already in the origin holds these bytes (an earlier build, or this one's last attempt).
          if (await origin.has(file.key)) return;
          await origin.put(file.key, await readFile(join(out, file.key)), typeOfKey(file.key));
          uploadedFiles++;
          uploadedBytes += file.bytes;
        },
        () => ({ uploadedFiles }),
      );
      return { uploadedFiles, uploadedBytes };
    },

    async markAssetBuildReady(ready: {
      buildId: number;
      manifest: ViteManifest;
      uploadedFiles: number;
      uploadedBytes: number;
      phaseMs: Record<string, number>;
    }) {
      await markAssetBuildReady(sql, { id: ready.buildId, ...ready });
    },

    async switchLiveAssets(cmd) {
      if (settings.pauseBeforeSwitchMs) {
        const context = Context.current();
        logger.warn(
          { ms: settings.pauseBeforeSwitchMs },
          'pausing before the switch (ASSETS_TEST_PAUSE_BEFORE_SWITCH_MS)',
        );
        for (let waited = 0; waited < settings.pauseBeforeSwitchMs; waited += 500) {
          context.heartbeat();
          await context.sleep(500);
        }
      }
      return switchLive({ ...cmd, reason: 'build' });
    },

    async recordAssetPhases({ buildId, phaseMs }) {
      await sql`update asset_builds set phase_ms = phase_ms || ${sql.json(phaseMs)} where id = ${buildId}`;
    },

    rollbackLiveAssets: (cmd) => switchLive({ ...cmd, reason: 'rollback' }),

    async collectAssetBuilds(rule): Promise<Omit<AssetCollection, 'deletedFiles'>> {
      const { builds, liveId, now } = await retentionCandidates(sql);
      const plan = planRetention(
        builds,
        liveId,
        {
          keepPrevious: rule.keepPrevious ?? settings.retention.keepPrevious,
          keepYoungerThanMs: rule.keepYoungerThanMs ?? settings.retention.keepYoungerThanMs,
        },
        now,
      );
      const deleted = await markAssetBuildsDeleted(sql, plan.drop);
      return { keptBuilds: plan.keep, deletedBuilds: deleted };
    },

    removeAssetStaging: ({ sourceHash }) => whileHeartbeating(removeStage(stageOf(sourceHash))),

    async sweepAssetStaging({ olderThanMs }) {
      const removedStages = await whileHeartbeating(
        sweepStages(settings.stagingDir, olderThanMs ?? settings.stagingRetentionMs),
      );
      if (removedStages) logger.info({ removedStages }, 'leftover asset staging directories swept');
      return { removedStages };
    },

    async purgeAssetFiles() {
      const { buildIds, keys } = await filesToPurge(sql);
      let deleted = 0;
      await eachHeartbeating(
        keys,
        UPLOAD_CONCURRENCY,
        async (key) => {
          await origin.delete(key);
          deleted++;
        },
        () => ({ deleted }),
      );
      await markAssetBuildsPurged(sql, buildIds);
      if (keys.length) logger.info({ builds: buildIds, files: keys.length }, 'asset files collected');
      return { deletedFiles: keys.length };
    },
  } satisfies AssetActivities);
}
