import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEnv, type Env } from '../../config/env.ts';
import { startsCleanly } from './tool-check.ts';

/** The pinned Go module (go.temporal.io/server v1.29.7) that builds the server and temporal-sql-tool. */
const clusterModuleDir = fileURLToPath(new URL('../../deploy/temporal-cluster', import.meta.url));

const tools = {
  server: 'go.temporal.io/server/cmd/server',
  sqlTool: 'go.temporal.io/server/cmd/tools/sql',
} as const;

export interface ClusterBinaries {
  server: string;
  sqlTool: string;
  /** The server module's source: its schema/ and config/ folders. */
  serverModule: string;
}

/** Cached per pinned module, like the dev server (temporal-binary.ts), so bumping go.mod builds anew. */
function cacheDir(env: Pick<Env, 'XDG_CACHE_HOME'>): string {
  const digest = createHash('sha256')
    .update(readFileSync(join(clusterModuleDir, 'go.mod')))
    .update(readFileSync(join(clusterModuleDir, 'go.sum')))
    .digest('hex')
    .slice(0, 12);
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'capstan', `temporal-cluster-${digest}`);
}

/**
 * The cached binaries, built from the Go module proxy when missing or when one does not start (about 10 min cold on
 * 2 busy cores).
 */
export async function resolveClusterBinaries(
  log: (line: string) => void = console.error,
  env: Pick<Env, 'XDG_CACHE_HOME'> = loadEnv(),
): Promise<ClusterBinaries> {
  const dir = cacheDir(env);
  const binaries = { server: join(dir, 'temporal-server'), sqlTool: join(dir, 'temporal-sql-tool') };
  for (const [name, path] of Object.entries(binaries)) {
    if (existsSync(path)) {
      if (startsCleanly(path, ['--help'])) continue;
      log(`${path} does not start: building it again.`);
    }
    log(`Building ${name === 'server' ? 'temporal-server' : 'temporal-sql-tool'} v1.29.7 (first run only)…`);
    const started = Date.now();
    await mkdir(dir, { recursive: true });
    const partial = `${path}.partial-${process.pid}`;
    try {
      await go(['build', '-o', partial, tools[name as keyof typeof tools]]);
      await rename(partial, path); // atomic: a concurrent build never leaves half a binary
    } finally {
      await rm(partial, { force: true });
    }
    log(`  built in ${Math.round((Date.now() - started) / 1000)} s: ${path}`);
  }
  const serverModule = (await go(['list', '-m', '-f', '{{.Dir}}', 'go.temporal.io/server'])).trim();
  return { ...binaries, serverModule };
}

function go(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('go', args, { cwd: clusterModuleDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-4000)));
    child.on('error', (e) => reject(new Error(`go is needed to build the Temporal server: ${e.message}`)));
    child.on('close', (code) =>
      code === 0
        ? resolve(out)
        : reject(
            new Error(`\`go ${args.join(' ')}\` failed with code ${code}: check Go and the module proxy`, {
              cause: new Error(err),
            }),
          ),
    );
  });
}
