import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/capstan.js', import.meta.url));

export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Runs `capstan worker` as its own process, the way production does, so a test can kill -9 it. */
export async function startWorkerProcess(env: {
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
  /** SMTP_URL: the core worker mails invitations (a stack's `stack.mail.smtpUrl`). */
  smtpUrl: string;
  /** CAPSTAN_PAYLOAD_KEYS (default: the run's, from the global setup). */
  payloadKeys?: string;
  extraEnv?: Record<string, string>;
  /** How long bundling and connecting may take (default 60 s; several processes starting at once need more). */
  startTimeoutMs?: number;

  /** More arguments for `capstan worker`, e.g. `['--queue', 'core']`. */
  args?: string[];
}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [bin, 'worker', ...(env.args ?? [])], {
    env: {
      ...process.env,
      DATABASE_URL: env.databaseUrl,
      TEMPORAL_ADDRESS: env.temporalAddress,
      TEMPORAL_NAMESPACE: env.namespace,
      SMTP_URL: env.smtpUrl,
      CAPSTAN_PAYLOAD_KEYS: env.payloadKeys ?? inject('payloadKeys'),
      LOG_LEVEL: 'info',
      ...env.extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));

  await new Promise<void>((resolve, reject) => {
    // A loaded machine (several suites at once) can take a minute to start one; a worker that never
    // started is killed, or it would take later tests' tasks from their own namespace.
    const limit = env.startTimeoutMs ?? 120_000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`worker did not start in ${limit / 1000} s:\n${output}`));
    }, limit);
    const check = () => {
      if (output.includes('"workers running"')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code}:\n${output}`));
    });
  });

  return {
    child,
    output: () => output,
    kill: (signal = 'SIGKILL') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}
