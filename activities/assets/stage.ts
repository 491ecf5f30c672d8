/** The build phases that work on the staging directory: hash, bundle, manifest, precompress. */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import { createRequire } from 'node:module';
import type * as esbuild from 'esbuild';
import type { StagedFile } from '../../contracts/assets.ts';
import { encodingSuffix, isCompressible, manifestFromMetafile, type ViteManifest } from '../../domain/assets.ts';
import { refuse } from '../failures.ts';
import { eachHeartbeating, whileHeartbeating } from './heartbeat.ts';

/** Part of every source hash: a change to how Capstan bundles is a new build even when the sources are the same. */
const RECIPE = {
  version: 1,
  esbuild: (createRequire(import.meta.url)('esbuild/package.json') as { version: string }).version,
};
/** The bundled files: every key starts with `assets/`. */
export const outDirOf = (stage: string) => join(stage, 'out');
const CAPSTAN_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url));

async function walk(dir: string, skip: (name: string) => boolean = () => false): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (skip(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await walk(path, skip)));
    else if (entry.isFile()) found.push(path);
  }
  return found;
}

/** One SHA-256 over every source file's path, size and bytes, in path order. */
export async function hashSources(input: { root: string; sources: string; entries: string[] }) {
  const dir = join(input.root, input.sources);
  const files = (await walk(dir, (name) => name === 'node_modules' || name.startsWith('.')))
    .map((path) => relative(input.root, path).split('\\').join('/'))
    .sort();
  const hash = createHash('sha256').update(
    JSON.stringify({ ...RECIPE, entries: input.entries, sources: input.sources }),
  );
  let bytes = 0;
  let done = 0;
  await whileHeartbeating(
    (async () => {
      // Read a window of files at once (sources are small and many), hash them in path order.
      for (let i = 0; i < files.length; i += 64) {
        const window = files.slice(i, i + 64);
        const contents = await Promise.all(window.map((file) => readFile(join(input.root, file))));
        window.forEach((file, n) => {
          hash.update(`\0${file}\0${contents[n]!.length}\0`).update(contents[n]!);
          bytes += contents[n]!.length;
        });
        done += window.length;
      }
    })(),
    () => ({ done }),
  );
  return { sourceHash: hash.digest('hex').slice(0, 40), files: files.length, bytes };
}

async function filesUnder(out: string): Promise<StagedFile[]> {
  const paths = existsSync(out) ? await walk(out) : [];
  const files = await Promise.all(
    paths.map(async (p) => ({ key: relative(out, p).split('\\').join('/'), bytes: (await stat(p)).size })),
  );
  return files.sort((a, b) => a.key.localeCompare(b.key));
}

/** The one esbuild recipe of a build (also what the asset benchmark runs esbuild alone with). */
export function bundleOptions(root: string, entries: string[], outdir: string): esbuild.BuildOptions {
  return {
    absWorkingDir: root,
    entryPoints: entries,
    outdir,
    publicPath: '/assets',
    bundle: true,
    splitting: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: 'linked',
    metafile: true,
    write: true,
    logLevel: 'silent',
    entryNames: '[name]-[hash]',
    chunkNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    nodePaths: [CAPSTAN_MODULES],
    loader: {
      '.png': 'file',
      '.jpg': 'file',
      '.jpeg': 'file',
      '.gif': 'file',
      '.webp': 'file',
      '.svg': 'file',
      '.ico': 'file',
      '.woff': 'file',
      '.woff2': 'file',
      '.ttf': 'file',
    },
  };
}

/**
 * esbuild with `[name]-[hash]` names, CSS, linked source maps and code
 * splitting, into the build's staging directory. A finished bundle is marked
 * by its metafile: a retry after that reuses it; before it, starts afresh.
 */
export async function bundle(input: { stage: string; root: string; entries: string[] }): Promise<StagedFile[]> {
  const metafilePath = join(input.stage, 'metafile.json');
  const out = outDirOf(input.stage);
  if (!existsSync(metafilePath)) {
    await rm(input.stage, { recursive: true, force: true });
    await mkdir(input.stage, { recursive: true });
    // Loaded by the first build, not with the worker (~14 MB a worker at rest does not need).
    const { build } = await import('esbuild');
    const result = await whileHeartbeating(
      build(bundleOptions(input.root, input.entries, join(out, 'assets'))).catch((err: unknown) => {
        const errors = (err as esbuild.BuildFailure).errors ?? [];
        if (!errors.length) throw err;
        const text = errors
          .slice(0, 5)
          .map((e) => `${e.location ? `${e.location.file}:${e.location.line}: ` : ''}${e.text}`)
          .join('; ');
        return refuse('AssetBuildFailed', `The front-end does not build: ${text}`);
      }),
    );
    await writeFile(`${metafilePath}.partial`, JSON.stringify(result.metafile));
    await rename(`${metafilePath}.partial`, metafilePath);
  }
  return filesUnder(out);
}

/** `.vite/manifest.json` in the staging directory, from esbuild's metafile. */
export async function writeManifest(input: { stage: string; entries: string[] }): Promise<ViteManifest> {
  const metafile = JSON.parse(await readFile(join(input.stage, 'metafile.json'), 'utf8')) as esbuild.Metafile;
  const manifest = manifestFromMetafile(metafile, input.entries);
  const dir = join(outDirOf(input.stage), '.vite');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/** `.br` and `.gz` beside each compressible file; variants already staged (an earlier attempt) are kept. */
export async function precompress(input: { stage: string; keys: string[] }): Promise<StagedFile[]> {
  const out = outDirOf(input.stage);
  const variants: StagedFile[] = [];
  let done = 0;
  await eachHeartbeating(
    input.keys.filter(isCompressible),
    4,
    async (key) => {
      const source = await readFile(join(out, key));
      for (const [suffix, compress] of [
        [
          encodingSuffix.br,
          () =>
            brotli(source, {
              params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: source.length },
            }),
        ],
        [encodingSuffix.gzip, () => gz(source, { level: 9 })],
      ] as const) {
        const path = join(out, key + suffix);
        if (!existsSync(path)) {
          await writeFile(`${path}.partial`, await compress());
          await rename(`${path}.partial`, path);
        }
        variants.push({ key: key + suffix, bytes: (await stat(path)).size });
      }
      done++;
    },
    () => ({ done }),
  );
  return variants.sort((a, b) => a.key.localeCompare(b.key));
}
