import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseQueues, workerQueues } from '../../workers/queues.ts';
import { WORKER_QUEUE_NAMES } from '../../workers/queue-names.ts';

describe('capstan worker --queue', () => {
  it('takes repeated and comma-separated names, once each', () => {
    expect(parseQueues(['core,deploy', 'core'])).toEqual(['core', 'deploy']);
  });

  it('refuses an unknown queue and names the known ones', () => {
    expect(() => parseQueues(['core', 'reports'])).toThrow(/unknown task queue reports: choose from core, deploy\b/);
  });

  it('has no deploy worker without Clever Cloud settings', () => {
    expect(workerQueues.deploy({ clever: undefined } as never)).toBeUndefined();
  });

  it('refuses to start a core worker without SMTP_URL: invitations are mailed', async () => {
    expect(workerQueues.core({ mail: undefined } as never)).toBeUndefined();
    const bin = fileURLToPath(new URL('../../bin/capstan.js', import.meta.url));
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: 'postgres://127.0.0.1:9/x' };
    const run = (args: string[]) =>
      promisify(execFile)(process.execPath, [bin, 'worker', ...args], { env, timeout: 20_000 }).then(
        () => '',
        (err: { stderr: string }) => err.stderr,
      );
    expect(await run(['--queue', 'core'])).toMatch(/SMTP_URL is required to run the core worker/);
    expect(await run([])).toMatch(/SMTP_URL is required to run the core worker/);
  });

  it('help names every queue there is a worker for', async () => {
    expect(Object.keys(workerQueues)).toEqual([...WORKER_QUEUE_NAMES]);
    const bin = fileURLToPath(new URL('../../bin/capstan.js', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [bin, 'worker', '--help']);
    expect(stdout.replace(/\s+/g, ' ')).toContain(`task queues to poll: ${Object.keys(workerQueues).join(', ')} (`);
  });
});
