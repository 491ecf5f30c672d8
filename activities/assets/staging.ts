/** The lifetime of the staging directories: a build's is removed when it ends; the sweep removes what a lost build left. */
import { readdir, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';

const isMissing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Marks a stage as in use: every phase of a running build touches its directory, so the sweep, which goes by the
 * directory's own time, never takes it while the build runs — not even one that reuses a bundle staged long ago.
 */
export async function touchStage(stage: string): Promise<string> {
  const now = new Date();
  await utimes(stage, now, now).catch((err: unknown) => {
    if (!isMissing(err)) throw err;
  });
  return stage;
}

export async function removeStage(stage: string): Promise<void> {
  await rm(stage, { recursive: true, force: true });
}

/** Removes the stages under `root` untouched for `olderThanMs`; answers how many it removed. */
export async function sweepStages(root: string, olderThanMs: number, now = Date.now()): Promise<number> {
  const entries = await readdir(root, { withFileTypes: true }).catch((err: unknown) => {
    if (isMissing(err)) return [];
    throw err;
  });
  let removed = 0;
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const stage = join(root, entry.name);
    const touched = await stat(stage).then(
      (s) => s.mtimeMs,
      (err: unknown) => (isMissing(err) ? undefined : Promise.reject(err)),
    );
    if (touched === undefined || now - touched < olderThanMs) continue;
    await removeStage(stage);
    removed++;
  }
  return removed;
}
