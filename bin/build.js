// The checkout's compiled JavaScript, built once per content of the sources: `capstan` runs it instead of
// compiling TypeScript at every start (tsx). The build lives in .capstan/build/<hash of the sources>/, laid
// out like dist/, so a stale build is never run (another hash), and processes starting at once share one.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
const SOURCE_DIRS = [
  'api',
  'workflows',
  'activities',
  'workers',
  'db',
  'config',
  'cli',
  'sandbox',
  'domain',
  'contracts',
];
/** What the compiled code reaches by a path relative to itself (`../../deploy/temporal-dev`, the bin, packages). */
const LINKED = ['node_modules', 'bin', 'deploy', 'web'];
const KEEP_BUILDS = 3;

function sourceFiles() {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (!entry.name.endsWith('.test.ts')) files.push(path);
    }
  };
  for (const dir of SOURCE_DIRS) walk(dir);
  return files.sort();
}

/** Hash of every source file's path and content, of package.json and of this builder. */
export function sourceHash(files = sourceFiles()) {
  const hash = createHash('sha256');
  for (const file of [...files, 'package.json', 'bin/build.js'])
    hash.update(`${file}\0`).update(readFileSync(join(root, file)));
  return hash.digest('hex').slice(0, 16);
}

/** The build for the sources as they are now: reused when it exists, else made (about a second). */
export async function ensureBuild() {
  const files = sourceFiles();
  const hash = sourceHash(files);
  const builds = join(root, '.capstan', 'build');
  const dir = join(builds, hash);
  if (existsSync(dir)) return dir;
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  await compile(files, tmp, dir);
  try {
    renameSync(tmp, dir);
  } catch (err) {
    // Another process finished the same build first: theirs is identical.
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(dir)) throw err;
  }
  pruneOldBuilds(builds, hash);
  return dir;
}

async function compile(files, out, final) {
  const { build } = await import('esbuild');
  const ts = files.filter((f) => f.endsWith('.ts'));
  // The same transform tsx applies at run time, file by file: types stripped, nothing bundled.
  await build({
    absWorkingDir: root,
    entryPoints: ts,
    outdir: out,
    outbase: '.',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  // esbuild keeps import paths as written: `./x.ts` → `./x.js` (same length, so the source maps still hold).
  const specifier = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s*)(["'])(\.{1,2}\/[^"'\n]*)\.ts\2/g;
  for (const file of ts) {
    const js = join(out, file.replace(/\.ts$/, '.js'));
    writeFileSync(js, readFileSync(js, 'utf8').replace(specifier, '$1$2$3.js$2'));
  }
  for (const file of files.filter((f) => !f.endsWith('.ts'))) {
    mkdirSync(dirname(join(out, file)), { recursive: true });
    copyFileSync(join(root, file), join(out, file));
  }
  copyFileSync(join(root, 'package.json'), join(out, 'package.json'));
  for (const name of LINKED)
    if (existsSync(join(root, name))) symlinkSync(relative(final, join(root, name)), join(out, name));
}

/** Keeps the newest builds; an older one may still be in use by a running process, so a few stay. */
function pruneOldBuilds(builds, current) {
  const old = readdirSync(builds)
    .filter((name) => name !== current && !name.includes('.tmp-'))
    .map((name) => ({ name, mtime: statSync(join(builds, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime)
    .slice(KEEP_BUILDS - 1);
  for (const { name } of old) rmSync(join(builds, name), { recursive: true, force: true });
}
