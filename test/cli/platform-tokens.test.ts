import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ensurePlatformToken, hashToken, issueToken } from '../../db/tokens.ts';
import { call } from '../support/http.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ http: true });
const bin = fileURLToPath(new URL('../../bin/capstan.js', import.meta.url));

async function capstan(dataDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    CAPSTAN_API_URL: stack.api.url,
    CAPSTAN_DATA_DIR: dataDir,
    CAPSTAN_BOOTSTRAP_TOKEN: '',
  };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const tokenIn = (stdout: string) => /token \(shown once\): (\S+)/.exec(stdout)?.[1];

describe('capstan platform-tokens', () => {
  it('creates, lists, rotates the token the CLI itself holds (keeping it usable) and revokes', async () => {
    // The CLI holds an operator token of its own, as the local stack's data directory would (`capstan up` ensures it).
    const dataDir = await mkdtemp(join(tmpdir(), 'capstan-cli-'));
    const app = unique('ops');
    const bootstrap = issueToken().plaintext;
    await ensurePlatformToken(stack.sql, app, bootstrap);
    const [seedRow] = await stack.sql<{ id: number }[]>`
      select id::int from access_tokens where token_sha256 = ${hashToken(bootstrap)}`;
    const seed = { body: { id: seedRow!.id, token: bootstrap } };
    await writeFile(join(dataDir, 'platform-token'), `${seed.body.token}\n`);

    const created = await capstan(dataDir, 'platform-tokens', 'create', '--app', app, '--name', 'deployer');
    expect(created.code, created.stderr).toBe(0);
    const deployer = tokenIn(created.stdout)!;
    expect((await call(stack.api.url, 'GET', '/v1/platform/tokens', { token: deployer })).status).toBe(200);

    const scoped = await capstan(
      dataDir,
      'platform-tokens',
      'create',
      '--app',
      app,
      '--name',
      'deploys',
      '--scopes',
      'platform:deploys',
    );
    expect(scoped.code, scoped.stderr).toBe(0);
    const refused = await call(stack.api.url, 'GET', '/v1/platform/tokens', { token: tokenIn(scoped.stdout)! });
    expect(refused.body).toMatchObject({ status: 403, missing_scope: 'platform:tokens' });

    const listed = await capstan(dataDir, 'platform-tokens', 'list');
    expect(listed.stdout).toMatch(new RegExp(`${seed.body.id}\\s+${app}\\s+bootstrap`));
    expect(listed.stdout).toMatch(/\sdeploys\s.*\splatform:deploys$/m);

    const rotated = await capstan(dataDir, 'platform-tokens', 'rotate', String(seed.body.id));
    expect(rotated.code, rotated.stderr).toBe(0);
    const fresh = tokenIn(rotated.stdout)!;
    expect((await readFile(join(dataDir, 'platform-token'), 'utf8')).trim()).toBe(fresh);
    expect((await call(stack.api.url, 'GET', '/v1/platform/tokens', { token: seed.body.token })).status).toBe(401);
    expect((await capstan(dataDir, 'platform-tokens', 'list')).code).toBe(0);

    const deployerId = /^(\d+)\s+\S+\s+deployer/m.exec(listed.stdout)![1]!;
    const revoked = await capstan(dataDir, 'platform-tokens', 'revoke', deployerId);
    expect(revoked.stdout).toMatch(/revoked/);
    expect((await call(stack.api.url, 'GET', '/v1/platform/tokens', { token: deployer })).status).toBe(401);
  });

  it('refuses an action it does not know, in one line', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'capstan-cli-'));
    await writeFile(join(dataDir, 'platform-token'), `${stack.platformToken}\n`);
    const res = await capstan(dataDir, 'platform-tokens', 'destroy');
    expect(res.code).not.toBe(0);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/unknown action destroy/);
  });
});
