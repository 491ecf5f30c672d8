import { join, resolve } from 'node:path';
import type { Env } from './env.ts';

export type OriginSettings =
  | { kind: 'fs'; dir: string }
  | {
      kind: 's3';
      bucket: string;
      endpoint?: string;
      region: string;
      prefix: string;
      credentials?: { accessKeyId: string; secretAccessKey: string };
    };

/** Which builds garbage collection keeps besides the live one (Propshaft's rule). */
export interface AssetRetention {
  keepPrevious: number;
  keepYoungerThanMs: number;
}

export interface AssetSettings {
  origin: OriginSettings;
  /** Bundles wait here before upload, one directory per source hash, so a retried phase reuses them. */
  stagingDir: string;
  /** A staging directory untouched this long is a lost build's leftover (see ASSETS_STAGING_RETENTION_MS). */
  stagingRetentionMs: number;
  retention: AssetRetention;
  gcIntervalMs: number;
  /** Written before `/assets/…` in the console's shell; empty serves from the API's own origin. */
  cdnHost: string;
  consoleEntry: string;
  /** The project a build without an explicit root bundles (the console's `web/`). */
  sourceRoot: string;
  pauseBeforeSwitchMs?: number;
}

export function assetSettings(env: Env): AssetSettings {
  const dataDir = resolve(env.CAPSTAN_DATA_DIR);
  const origin: OriginSettings =
    env.ASSETS_ORIGIN === 's3'
      ? {
          kind: 's3',
          bucket: requireBucket(env.ASSETS_S3_BUCKET),
          endpoint: env.ASSETS_S3_ENDPOINT,
          region: env.ASSETS_S3_REGION,
          prefix: env.ASSETS_S3_PREFIX,
          ...(env.ASSETS_S3_ACCESS_KEY_ID &&
            env.ASSETS_S3_SECRET_ACCESS_KEY && {
              credentials: {
                accessKeyId: env.ASSETS_S3_ACCESS_KEY_ID,
                secretAccessKey: env.ASSETS_S3_SECRET_ACCESS_KEY,
              },
            }),
        }
      : { kind: 'fs', dir: resolve(env.ASSETS_DIR ?? join(dataDir, 'assets')) };
  return {
    origin,
    stagingDir: resolve(env.ASSETS_STAGING_DIR ?? join(dataDir, 'asset-staging')),
    stagingRetentionMs: env.ASSETS_STAGING_RETENTION_MS,
    retention: { keepPrevious: env.ASSETS_KEEP_PREVIOUS, keepYoungerThanMs: env.ASSETS_KEEP_YOUNGER_THAN_MS },
    gcIntervalMs: env.ASSETS_GC_INTERVAL_MS,
    cdnHost: (env.ASSET_CDN_HOST ?? '').replace(/(?<!\/)\/+$/, ''),
    consoleEntry: env.ASSETS_CONSOLE_ENTRY,
    sourceRoot: resolve(env.ASSETS_SOURCE_ROOT ?? '.'),
    pauseBeforeSwitchMs: env.ASSETS_TEST_PAUSE_BEFORE_SWITCH_MS,
  };
}

function requireBucket(bucket: string | undefined): string {
  if (!bucket) throw new Error('ASSETS_ORIGIN=s3 needs ASSETS_S3_BUCKET');
  return bucket;
}
