import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { defaultFaults } from '../../sandbox/clever-cloud/state.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ clever: true });
const bin = fileURLToPath(new URL('../../bin/capstan.js', import.meta.url));

async function capstan(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: stack.temporalAddress,
    TEMPORAL_NAMESPACE: stack.namespace,
    DATABASE_URL: stack.databaseUrl,
    CAPSTAN_PAYLOAD_KEYS: stack.payloadKeys,
  };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('capstan deploy', () => {
  it('deploys with --follow, then shows the status and the history', async () => {
    stack.clever.state.faults = { ...defaultFaults, deployDurationMs: 800, notFoundMs: 0 };
    const appId = unique('app');
    stack.clever.state.addApp('orga_cli', appId, appId, 'aaaa0000');

    const run = await capstan(
      'deploy',
      appId,
      '--owner',
      'orga_cli',
      '--commit',
      'cafe0001',
      '--env',
      'MODE=blue',
      '--deadline',
      '1m',
      '--follow',
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/deploy succeeded: cafe0001/);
    expect(stack.clever.state.find('orga_cli', appId)!.env.get('MODE')).toBe('blue');

    const status = await capstan('deploy', 'status', appId, '--owner', 'orga_cli');
    expect(status.stdout).toMatch(/phase\s+done/);
    expect(status.stdout).toMatch(/state\s+OK/);
    const history = await capstan('deploy', 'history', appId, '--owner', 'orga_cli');
    expect(history.stdout).toMatch(/cafe0001\s+OK/);
  });

  it('refuses a deadline it cannot read, and starts nothing', async () => {
    const appId = unique('app');
    stack.clever.state.addApp('orga_cli', appId, appId, 'aaaa0000');
    const run = await capstan('deploy', appId, '--owner', 'orga_cli', '--deadline', 'soon');
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/--deadline soon: expected a duration/);
    expect(stack.clever.state.find('orga_cli', appId)!.redeployCalls).toBe(0);
  });
});
