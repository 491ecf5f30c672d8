import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, expect, test } from 'vitest';
import { freePort } from '../../cli/local/free-port.ts';
import { startEmbeddedDatabase } from '../../db/embedded.ts';

const base = await mkdtemp(join(tmpdir(), 'capstan-tmpdir-'));
afterAll(() => rm(base, { recursive: true, force: true }));

// As root PostgreSQL runs as `postgres`; initdb reads a password file from os.tmpdir(), which may be private.
test('initialises a new database while TMPDIR is a folder only its owner can enter', async () => {
  await chmod(base, 0o755);
  const privateTmp = join(base, 'private');
  await mkdir(privateTmp, { mode: 0o700 });
  const dataParent = join(base, 'data');
  await mkdir(dataParent, { mode: 0o755 });
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = privateTmp;
  try {
    const database = await startEmbeddedDatabase({
      dataDir: join(dataParent, 'pg'),
      port: await freePort(),
      ephemeral: true,
    });
    const sql = postgres(database.url, { max: 1 });
    try {
      expect(await sql`select 1 as one`).toEqual([{ one: 1 }]);
    } finally {
      await sql.end();
      await database.stop();
    }
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
  expect(process.env.TMPDIR).toBe(saved);
}, 120_000);
