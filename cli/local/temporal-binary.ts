import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, accessSync, constants } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SingleBar, Presets } from 'cli-progress';
import { loadEnv, type Env } from '../../config/env.ts';
import { startsCleanly } from './tool-check.ts';

/** The pinned Go module (temporalio/cli v1.5.1 with server v1.29.7) that builds the dev server. */
export const temporalModuleDir = fileURLToPath(new URL('../../deploy/temporal-dev', import.meta.url));
const CLI_PACKAGE = 'github.com/temporalio/cli/cmd/temporal';

type Lookup = Pick<Env, 'TEMPORAL_CLI_PATH' | 'PATH' | 'XDG_CACHE_HOME'>;

export type TemporalBinary = { source: 'env' | 'path' | 'cache' | 'built'; path: string } | { source: 'sdk-download' };

/** Cache folder keyed by the pinned module, so bumping go.mod or go.sum builds anew. */
export function cachedBinaryPath(env: Lookup = loadEnv()): string {
  const digest = createHash('sha256')
    .update(readFileSync(join(temporalModuleDir, 'go.mod')))
    .update(readFileSync(join(temporalModuleDir, 'go.sum')))
    .digest('hex')
    .slice(0, 12);
  const cacheRoot = env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return join(cacheRoot, 'capstan', `temporal-${digest}`, 'temporal');
}

function onPath(name: string, env: Lookup): string | undefined {
  for (const dir of env.PATH.split(delimiter)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** `temporal --version` exits 0: the check every candidate passes before it is used. */
export const temporalStarts = (path: string): boolean => startsCleanly(path, ['--version']);

/**
 * Finds the Temporal CLI: TEMPORAL_CLI_PATH, then `temporal` on PATH, then our
 * cached build, then a fresh build with Go, and last the SDK's own download
 * (which needs internet access). Each is run once before it is trusted: a cached
 * build that does not start is built again, a `temporal` on PATH that does not
 * start is passed over.
 */
export async function resolveTemporalBinary(
  log: (line: string) => void = console.error,
  env: Lookup = loadEnv(),
): Promise<TemporalBinary> {
  const fromEnv = env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv))
      throw new Error(`TEMPORAL_CLI_PATH=${fromEnv} does not exist: point it at a temporal binary, or unset it`);
    if (!temporalStarts(fromEnv))
      throw new Error(
        `TEMPORAL_CLI_PATH=${fromEnv} does not start (\`--version\` failed): point it at a working binary`,
      );
    return { source: 'env', path: fromEnv };
  }
  const fromPath = onPath('temporal', env);
  if (fromPath) {
    if (temporalStarts(fromPath)) return { source: 'path', path: fromPath };
    log(`${fromPath} does not start (\`--version\` failed): passing over it.`);
  }
  const cached = cachedBinaryPath(env);
  if (existsSync(cached)) {
    if (temporalStarts(cached)) return { source: 'cache', path: cached };
    log(`The cached Temporal dev server ${cached} does not start: building it again.`);
    await rm(cached, { force: true });
  }
  const go = onPath('go', env);
  if (go) {
    await buildTemporalBinary(go, cached, log);
    if (!temporalStarts(cached)) throw new Error(`The Temporal dev server just built at ${cached} does not start.`);
    return { source: 'built', path: cached };
  }
  log('No Temporal CLI found and no Go toolchain to build one: falling back to the SDK download.');
  return { source: 'sdk-download' };
}

/** Builds the dev server from the Go module proxy, with a progress bar (about 5 min cold). */
export async function buildTemporalBinary(go: string, target: string, log: (line: string) => void): Promise<void> {
  log(`Building the Temporal dev server from ${temporalModuleDir} (first run only; ~5 min cold on 2 cores)…`);
  const started = Date.now();
  await run(go, ['mod', 'download', '-x'], 'downloading modules', estimateModules(), /^# get .*200 OK/);

  const listed = spawnSync(go, ['list', '-deps', CLI_PACKAGE], {
    cwd: temporalModuleDir,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const packages = listed.status === 0 ? listed.stdout.split('\n').filter(Boolean).length : 1500;

  await mkdir(join(target, '..'), { recursive: true });
  const partial = `${target}.partial-${process.pid}`;
  try {
    await run(go, ['build', '-v', '-o', partial, CLI_PACKAGE], 'compiling', packages, /^\S+$/);
    await rename(partial, target); // atomic: a concurrent build never leaves half a binary
  } finally {
    await rm(partial, { force: true });
  }
  log(`Temporal dev server built in ${Math.round((Date.now() - started) / 1000)} s: ${target}`);
}

function estimateModules(): number {
  const sum = readFileSync(join(temporalModuleDir, 'go.sum'), 'utf8');
  return sum.split('\n').filter((l) => l && !l.includes('/go.mod ')).length;
}

function run(cmd: string, args: string[], phase: string, total: number, counts: RegExp): Promise<void> {
  const bar = new SingleBar(
    {
      format: `  ${phase.padEnd(20)} [{bar}] {value}/{total} {duration_formatted}`,
      noTTYOutput: true,
      notTTYSchedule: 15_000,
      stream: process.stderr,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: temporalModuleDir });
    let done = 0;
    let tail = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      tail = (tail + text).slice(-4000);
      for (const line of text.split('\n')) {
        if (counts.test(line.trim())) bar.update(Math.min(++done, total));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => {
      bar.update(total);
      bar.stop();
      if (code === 0) resolve();
      else {
        const todo =
          'check the Go toolchain and access to the Go module proxy, or set TEMPORAL_CLI_PATH to a temporal binary';
        reject(new Error(`\`go ${args.join(' ')}\` failed with code ${code}: ${todo}`, { cause: new Error(tail) }));
      }
    });
  });
}
