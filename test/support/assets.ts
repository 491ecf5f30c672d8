import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import S3rver from 's3rver';
import type { AssetSettings, OriginSettings } from '../../config/assets.ts';

const fixture = fileURLToPath(new URL('../fixtures/asset-source', import.meta.url));
export const CONSOLE_ENTRY = 'web/src/main.tsx';
const S3_BUCKET = 'capstan-assets';

/** A copy of the fixture front-end whose `version.ts` a test rewrites, so each version is a new build. */
export async function assetSource(): Promise<{
  root: string;
  setVersion(v: string): Promise<void>;
  remove(): Promise<void>;
}> {
  const root = await mkdtemp(join(tmpdir(), 'capstan-asset-src-'));
  await cp(fixture, root, { recursive: true });
  return {
    root,
    setVersion: (v) => writeFile(join(root, 'web/src/version.ts'), `export const version = '${v}';\n`),
    remove: () => rm(root, { recursive: true, force: true }),
  };
}

/** A local S3-compatible server (s3rver) with the bucket made. */
async function startS3(): Promise<{ origin: OriginSettings; close(): Promise<void> }> {
  const directory = await mkdtemp(join(tmpdir(), 'capstan-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: S3_BUCKET }],
  });
  const { port } = await server.run();
  return {
    origin: {
      kind: 's3',
      bucket: S3_BUCKET,
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      prefix: '',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    },
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** Origin of either kind, a staging directory, the fixture's entry; `close()` stops the S3 stand-in and removes them. */
export async function testAssetSettings(
  kind: 'fs' | 's3',
  sourceRoot: string,
  overrides: Partial<AssetSettings> = {},
): Promise<{ settings: AssetSettings; close(): Promise<void> }> {
  const work = await mkdtemp(join(tmpdir(), 'capstan-assets-'));
  const s3 = kind === 's3' ? await startS3() : undefined;
  const settings: AssetSettings = {
    origin: s3?.origin ?? { kind: 'fs', dir: join(work, 'origin') },
    stagingDir: join(work, 'staging'),
    stagingRetentionMs: 24 * 3_600_000,
    retention: { keepPrevious: 2, keepYoungerThanMs: 3_600_000 },
    gcIntervalMs: 3_600_000,
    cdnHost: '',
    consoleEntry: CONSOLE_ENTRY,
    sourceRoot,
    ...overrides,
  };
  return {
    settings,
    async close() {
      await s3?.close();
      await rm(work, { recursive: true, force: true });
    },
  };
}

/** The environment `capstan worker` needs to run the assets worker with these settings. */
export function assetEnv(settings: AssetSettings): Record<string, string> {
  const o = settings.origin;
  return {
    ASSETS_STAGING_DIR: settings.stagingDir,
    ...(o.kind === 'fs'
      ? { ASSETS_ORIGIN: 'fs', ASSETS_DIR: o.dir }
      : {
          ASSETS_ORIGIN: 's3',
          ASSETS_S3_BUCKET: o.bucket,
          ASSETS_S3_ENDPOINT: o.endpoint!,
          ASSETS_S3_REGION: o.region,
          ASSETS_S3_ACCESS_KEY_ID: o.credentials!.accessKeyId,
          ASSETS_S3_SECRET_ACCESS_KEY: o.credentials!.secretAccessKey,
        }),
  };
}
