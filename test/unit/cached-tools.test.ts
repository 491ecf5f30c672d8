import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadEnv } from '../../config/env.ts';
import { cachedBinaryPath, resolveTemporalBinary, temporalStarts } from '../../cli/local/temporal-binary.ts';
import { startsCleanly } from '../../cli/local/tool-check.ts';
import { ensureSchemathesis, SCHEMATHESIS_VERSION } from '../contract/schemathesis.ts';

const dirs: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'capstan-cached-tools-'));
  dirs.push(dir);
  return dir;
};
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** What a venv renamed after install, or a binary copied from elsewhere, looks like: it exists and cannot start. */
async function brokenExecutable(path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, '#!/nowhere/schemathesis-venv.partial-1/bin/python3\n');
  await chmod(path, 0o755);
}

/** A `go` that records its calls and "builds" by copying a working Temporal binary to the `-o` path. */
async function fakeGo(binDir: string, workingTemporal: string, calls: string): Promise<void> {
  const script = [
    '#!/bin/sh',
    `echo "$*" >> '${calls}'`,
    `if [ "$1" = build ]; then cp '${workingTemporal}' "$4"; fi`,
    'if [ "$1" = list ]; then echo github.com/temporalio/cli/cmd/temporal; fi',
    'exit 0',
  ].join('\n');
  await writeFile(join(binDir, 'go'), script);
  await chmod(join(binDir, 'go'), 0o755);
}

describe('a tool installed on demand is run once before it is trusted', () => {
  test('a file that exists but cannot start is not a working tool', async () => {
    const broken = join(await tempDir(), 'bin', 'st');
    await brokenExecutable(broken);
    expect(existsSync(broken)).toBe(true);
    expect(startsCleanly(broken, ['--version'])).toBe(false);
    expect(startsCleanly(process.execPath, ['--version'])).toBe(true);
  });

  test('a cached Temporal binary that does not start is built again, and the new one starts', async () => {
    const working = await resolveTemporalBinary(() => {}, loadEnv());
    if (working.source === 'sdk-download') throw new Error('npm test builds the Temporal dev server first');
    const cache = await tempDir();
    const bin = await tempDir();
    const calls = join(bin, 'calls.log');
    await fakeGo(bin, working.path, calls);
    const env = { PATH: bin, XDG_CACHE_HOME: cache, TEMPORAL_CLI_PATH: undefined };
    await brokenExecutable(cachedBinaryPath(env));
    const said: string[] = [];

    const resolved = await resolveTemporalBinary((line) => said.push(line), env);

    expect(resolved).toEqual({ source: 'built', path: cachedBinaryPath(env) });
    expect(temporalStarts(cachedBinaryPath(env))).toBe(true);
    expect(said.join('\n')).toContain('does not start: building it again');
    expect(await readFile(calls, 'utf8')).toMatch(/^build -v -o \S+ github.com\/temporalio\/cli\/cmd\/temporal$/m);

    // The second look finds the rebuilt binary and builds nothing.
    await rm(calls);
    expect(await resolveTemporalBinary(() => {}, env)).toEqual({ source: 'cache', path: cachedBinaryPath(env) });
    expect(existsSync(calls)).toBe(false);
  });

  test('a TEMPORAL_CLI_PATH that does not start is refused with what to do, not used', async () => {
    const broken = join(await tempDir(), 'temporal');
    await brokenExecutable(broken);
    const env = { PATH: '', XDG_CACHE_HOME: await tempDir(), TEMPORAL_CLI_PATH: broken };
    await expect(resolveTemporalBinary(() => {}, env)).rejects.toThrow(/does not start/);
  });

  test('a schemathesis venv whose interpreter cannot start is made again and then runs', async () => {
    const cache = await tempDir();
    const venv = join(cache, 'capstan', `schemathesis-venv-${SCHEMATHESIS_VERSION}`);
    await brokenExecutable(join(venv, 'bin', 'python'));
    await brokenExecutable(join(venv, 'bin', 'st'));
    const saved = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = cache;
    const said: string[] = [];
    try {
      const schemathesis = await ensureSchemathesis((line) => said.push(line));
      expect(schemathesis.command).toBe(join(venv, 'bin', 'python'));
      expect(startsCleanly(schemathesis.command, [...schemathesis.args, '--version'])).toBe(true);
      expect(said.join('\n')).toContain('does not start: making it again');
    } finally {
      if (saved === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = saved;
    }
  }, 300_000);
});
