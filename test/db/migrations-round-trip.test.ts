import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../cli/local/free-port.ts';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../db/embedded.ts';
import { migrate, migrationNumber, migrationsDir, rollback } from '../../db/migrate.ts';
import { WORKER_APPLICATION_NAME } from '../../db/pool.ts';
import { schemaOf } from '../support/catalog.ts';

// Read from the folder, as ley reads it: a migration added later is in the round trip without a line here.
const files = (await readdir(migrationsDir))
  .filter((f) => /\.[cm]?[tj]s$/.test(f))
  .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));

const bin = fileURLToPath(new URL('../../bin/capstan.js', import.meta.url));

/**
 * A PostgreSQL cluster of its own: the run's shared one holds databases whose grants keep
 * capstan_app alive, so only here does rolling back 0018 show that the role goes.
 */
let database: EmbeddedDatabase;
let dir: string;
let sql: postgres.Sql;
let empty: Record<string, string[]>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'capstan-round-trip-'));
  database = await startEmbeddedDatabase({ dataDir: join(dir, 'postgres'), port: await freePort(), ephemeral: true });
  sql = postgres(database.url, { max: 1, onnotice: () => {} });
  await migrate(database.url, { to: 0 }); // ley's ledger only
  empty = await schemaOf(sql);
});

afterAll(async () => {
  await sql?.end();
  await database?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('every migration rolls back', () => {
  it('finds the migrations', () => {
    expect(files.length).toBeGreaterThan(15);
  });

  it.each(files.map((file, i) => [file, i] as const))(
    '%s: down() restores the schema before it, up() again the schema after it',
    async (file, i) => {
      const previous = i === 0 ? 0 : migrationNumber(files[i - 1]!);
      const before = await schemaOf(sql);
      expect(await migrate(database.url, { to: migrationNumber(file) })).toEqual([file]);
      const after = await schemaOf(sql);

      expect(await rollback(database.url, { to: previous })).toEqual([file]);
      expect(await schemaOf(sql)).toEqual(before);

      expect(await migrate(database.url, { to: migrationNumber(file) })).toEqual([file]);
      expect(await schemaOf(sql)).toEqual(after);
    },
  );

  it('all at once, newest first, down to nothing: no table, no grant, no capstan_app', async () => {
    const undone = await rollback(database.url, { to: 0 });
    expect(undone).toEqual([...files].reverse());
    const schema = await schemaOf(sql);
    expect(schema).toEqual(empty);
    expect(schema.roles!.some((r) => r.startsWith('capstan_app '))).toBe(false);
  });
});

async function capstan(...args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: database.url },
      timeout: 90_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('capstan migrate down', () => {
  it('is refused while a worker is connected, unless forced; without --to it undoes the newest only', async () => {
    await migrate(database.url);
    const [newest, second, third] = [...files].reverse() as [string, string, string];
    const worker = postgres(database.url, {
      max: 1,
      onnotice: () => {},
      connection: { application_name: WORKER_APPLICATION_NAME },
    });
    try {
      await worker`select 1`;
      const refused = await capstan('migrate', 'down', '--to', String(migrationNumber(third)));
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain(`workers are connected to this database (${WORKER_APPLICATION_NAME} (1))`);
      const [row] = await sql<{ count: number }[]>`select count(*)::int as count from migrations`;
      expect(row!.count).toBe(files.length);

      const forced = await capstan('migrate', 'down', '--force');
      expect(forced.code, forced.stderr).toBe(0);
      expect(forced.stdout).toContain(`rolled back: ${newest}`);
    } finally {
      await worker.end();
    }
    const down = await capstan('migrate', 'down', '--to', String(migrationNumber(third)));
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toContain(`rolled back: ${second}`);
    const names = await sql<{ name: string }[]>`select name from migrations order by id`;
    expect(names.map((n) => n.name)).toEqual(files.slice(0, -2));

    const wrong = await capstan('migrate', 'down', '--to', 'latest');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--to takes a migration number');
  });
});
