/**
 * Where published asset files live, behind one interface: a directory
 * (default) or an S3-compatible bucket. Keys are `assets/<name>`; a file's
 * precompressed variants are stored beside it as `<key>.br` and `<key>.gz`.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type * as S3Module from '@aws-sdk/client-s3';
import type { OriginSettings } from '../config/assets.ts';

// The S3 client loads with the first S3 origin: ~25 MB a worker or API on the filesystem origin never needs.
type S3 = typeof S3Module;

export interface StoredObject {
  body: Buffer;
  /** A strong validator of these bytes. */
  etag: string;
}

export interface AssetOrigin {
  readonly kind: 'fs' | 's3';
  has(key: string): Promise<boolean>;
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<StoredObject | null>;
  /** Deleting a key that is not there is not an error (a retried collection deletes twice). */
  delete(key: string): Promise<void>;
  close(): void;
}

const etagOf = (body: Buffer) => `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;

export function createOrigin(settings: OriginSettings): AssetOrigin {
  return settings.kind === 's3' ? s3Origin(settings) : fsOrigin(settings.dir);
}

function fsOrigin(dir: string): AssetOrigin {
  const root = resolve(dir);
  const pathOf = (key: string) => {
    const path = resolve(root, key);
    if (!path.startsWith(root + sep)) throw new Error(`asset key outside the origin: ${key}`);
    return path;
  };
  const missing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';
  return {
    kind: 'fs',
    async has(key) {
      return stat(pathOf(key)).then(
        (s) => s.isFile(),
        (err: unknown) => (missing(err) ? false : Promise.reject(err)),
      );
    },
    async put(key, body) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      // Written aside then renamed: a reader never sees half a file, even if the worker dies mid-write.
      const partial = `${path}.${process.pid}.partial`;
      await writeFile(partial, body);
      await rename(partial, path);
    },
    async get(key) {
      const body = await readFile(pathOf(key)).catch((err: unknown) => (missing(err) ? null : Promise.reject(err)));
      return body && { body, etag: etagOf(body) };
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
    close() {},
  };
}

function s3Origin(settings: Extract<OriginSettings, { kind: 's3' }>): AssetOrigin {
  let loaded: Promise<{ s3: S3; client: InstanceType<S3['S3Client']> }> | undefined;
  const use = () =>
    (loaded ??= import('@aws-sdk/client-s3').then((s3) => ({
      s3,
      client: new s3.S3Client({
        region: settings.region,
        ...(settings.endpoint && { endpoint: settings.endpoint, forcePathStyle: true }),
        ...(settings.credentials && { credentials: settings.credentials }),
        // S3-compatible servers (MinIO, s3rver, R2) do not all accept the SDK's default flexible checksums.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      }),
    })));
  const Bucket = settings.bucket;
  const keyOf = (key: string) => `${settings.prefix}${key}`;
  const absent = (s3: S3, err: unknown) =>
    err instanceof s3.NoSuchKey ||
    err instanceof s3.NotFound ||
    (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;
  return {
    kind: 's3',
    async has(key) {
      const { s3, client } = await use();
      return client.send(new s3.HeadObjectCommand({ Bucket, Key: keyOf(key) })).then(
        () => true,
        (err: unknown) => (absent(s3, err) ? false : Promise.reject(err)),
      );
    },
    async put(key, body, contentType) {
      const { s3, client } = await use();
      await client.send(
        new s3.PutObjectCommand({
          Bucket,
          Key: keyOf(key),
          Body: body,
          ContentType: contentType,
          CacheControl: 'public, max-age=31536000, immutable',
        }),
      );
    },
    async get(key) {
      const { s3, client } = await use();
      try {
        const answer = await client.send(new s3.GetObjectCommand({ Bucket, Key: keyOf(key) }));
        const body = Buffer.from(await answer.Body!.transformToByteArray());
        return { body, etag: etagOf(body) };
      } catch (err) {
        if (absent(s3, err)) return null;
        throw err;
      }
    },
    async delete(key) {
      const { s3, client } = await use();
      await client.send(new s3.DeleteObjectCommand({ Bucket, Key: keyOf(key) }));
    },
    close() {
      void loaded?.then(({ client }) => client.destroy());
    },
  };
}

/**
 * The staging directory of one build run: its sources' hash and its run's key, so a retried phase of the run reuses
 * what an earlier attempt staged, and two runs building the same sources at once never share (the first to end
 * used to remove the stage under the second).
 */
export const stagingDirOf = (stagingRoot: string, sourceHash: string, runKey: string): string =>
  join(stagingRoot, `${sourceHash}-${runKey}`);
