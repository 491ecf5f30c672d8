import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stopChild } from './temporal-server.ts';

const bin = fileURLToPath(new URL('../../bin/capstan.js', import.meta.url));

export interface CapstanProcess {
  name: string;
  pid: number;
  /** Where its /healthz and /readyz answer. */
  url: string;
  logFile: string;
  stop(): Promise<void>;
}

/** `capstan <args>` as its own process, as compose runs it; resolves once its /readyz answers 200. */
export async function startCapstanProcess(options: {
  name: string;
  args: string[];
  healthPort: number;
  env: Record<string, string>;
  logFile: string;
  timeoutMs?: number;
}): Promise<CapstanProcess> {
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(process.execPath, [bin, ...options.args], {
    env: { ...process.env, HOST: '127.0.0.1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const url = `http://127.0.0.1:${options.healthPort}`;
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`${options.name} exited with ${child.exitCode}: see ${options.logFile}`);
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${options.name} not ready after ${options.timeoutMs ?? 120_000} ms: see ${options.logFile}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { name: options.name, pid: child.pid!, url, logFile: options.logFile, stop: () => stopChild(child) };
}
