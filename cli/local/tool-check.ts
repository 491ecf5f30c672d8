import { spawnSync } from 'node:child_process';

/**
 * Whether a tool installed on demand (a cached build, a venv, an unpacked browser) actually starts: it is run once
 * and must exit 0. A file that exists proves nothing — a venv renamed after its scripts were written, a binary
 * cut short or built for another machine all exist and fail to start.
 */
export function startsCleanly(command: string, args: readonly string[], timeoutMs = 60_000): boolean {
  const run = spawnSync(command, args, { stdio: 'ignore', timeout: timeoutMs });
  return run.error === undefined && run.status === 0;
}
