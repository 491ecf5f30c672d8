import { spawn, execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import proto from '@temporalio/proto';
import { parse, stringify } from 'yaml';
import { searchAttributes } from '../../config/search-attributes.ts';
import { resolveClusterBinaries, type ClusterBinaries } from './cluster-binaries.ts';
import { freeLowPort, freePort } from './free-port.ts';
import { stopChild, waitUntilServing } from './temporal-server.ts';

const run = promisify(execFile);

export interface PostgresAccess {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** The server's database login, from a PostgreSQL URL. */
export function postgresAccess(databaseUrl: string): PostgresAccess {
  const url = new URL(databaseUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
}

export interface ClusterOptions {
  postgres: PostgresAccess;
  /** Config, logs: kept across restarts. */
  dir: string;
  /** Frontend gRPC port (a free one when absent). */
  port?: number;
  /** Databases of this cluster: `<prefix>` and `<prefix>_visibility` (default temporal). */
  databasePrefix?: string;
  namespaces: string[];
  log?: (line: string) => void;
}

export interface TemporalCluster {
  address: string;
  /** Stops the server process (SIGKILL when hard) and starts it again on the same data and ports. */
  restart(options?: { hard?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The real Temporal server (not the dev server) on PostgreSQL: schema through
 * temporal-sql-tool, the module's development-postgres12 config, then the
 * namespaces with Capstan's search attributes. Every step is idempotent, so a
 * restart on the same data picks up where it was.
 */
export async function startTemporalCluster(options: ClusterOptions): Promise<TemporalCluster> {
  const log = options.log ?? console.error;
  const binaries = await resolveClusterBinaries(log);
  const prefix = options.databasePrefix ?? 'temporal';
  await setUpSchema(binaries, options.postgres, prefix);
  const port = options.port ?? (await freePort());
  const configDir = await writeConfig(binaries, options, prefix, port);

  const address = `127.0.0.1:${port}`;
  let child = await startServer(binaries, configDir, address, options.dir);
  await ensureNamespaces(address, options.namespaces);

  const stopOnExit = () => child.kill('SIGTERM');
  process.on('exit', stopOnExit);
  return {
    address,
    async restart({ hard = false } = {}) {
      if (hard) child.kill('SIGKILL');
      await stopChild(child);
      child = await startServer(binaries, configDir, address, options.dir);
    },
    async stop() {
      process.off('exit', stopOnExit);
      await stopChild(child);
    },
  };
}

async function setUpSchema(binaries: ClusterBinaries, pg: PostgresAccess, prefix: string): Promise<void> {
  const env = {
    ...process.env,
    SQL_PLUGIN: 'postgres12',
    SQL_HOST: pg.host,
    SQL_PORT: String(pg.port),
    SQL_USER: pg.user,
    SQL_PASSWORD: pg.password,
  };
  const schemaRoot = join(binaries.serverModule, 'schema/postgresql/v12');
  for (const [db, schema] of [
    [prefix, 'temporal'],
    [`${prefix}_visibility`, 'visibility'],
  ] as const) {
    const tool = (...args: string[]) => run(binaries.sqlTool, ['--db', db, ...args], { env });
    await tool('create-database').catch((err: { stderr?: string }) => {
      if (!/already exists/.test(err.stderr ?? '')) throw err;
    });
    await tool('setup-schema', '-v', '0.0');
    await tool('update-schema', '-d', join(schemaRoot, schema, 'versioned'));
  }
}

/** The module's config/development-postgres12.yaml, pointed at our PostgreSQL and free ports. */
async function writeConfig(binaries: ClusterBinaries, options: ClusterOptions, prefix: string, port: number) {
  const source = join(binaries.serverModule, 'config');
  const configDir = join(options.dir, 'config');
  await mkdir(join(configDir, 'dynamicconfig'), { recursive: true });
  const config = parse(await readFile(join(source, 'development-postgres12.yaml'), 'utf8'));
  const pg = options.postgres;
  for (const [store, database] of [
    ['postgres-default', prefix],
    ['postgres-visibility', `${prefix}_visibility`],
  ] as const) {
    Object.assign(config.persistence.datastores[store].sql, {
      databaseName: database,
      connectAddr: `${pg.host}:${pg.port}`,
      user: pg.user,
      password: pg.password,
    });
  }
  // The same ports on every restart: a host that comes back elsewhere leaves its old membership
  // row behind, and shards wait on that ghost until its heartbeat expires.
  const previous = await readFile(join(configDir, 'development-postgres12.yaml'), 'utf8').then(parse, () => undefined);
  if (previous?.services?.frontend?.rpc?.grpcPort === port) {
    config.services = previous.services;
    config.global.metrics.prometheus.listenAddress = previous.global.metrics.prometheus.listenAddress;
  } else {
    const ports = await Promise.all(Array.from({ length: 9 }, () => freeLowPort()));
    const take = () => ports.pop()!;
    config.services.frontend.rpc = { ...config.services.frontend.rpc, grpcPort: port, httpPort: take() };
    for (const service of ['frontend', 'matching', 'history', 'worker'])
      config.services[service].rpc = {
        ...config.services[service].rpc,
        ...(service !== 'frontend' && { grpcPort: take() }),
        membershipPort: take(),
      };
    config.global.metrics.prometheus.listenAddress = `127.0.0.1:${take()}`;
  }
  config.global.pprof = { port: 0 };
  config.clusterMetadata.clusterInformation.active.rpcAddress = `127.0.0.1:${port}`;
  delete config.archival;
  delete config.namespaceDefaults;
  const dynamic = parse(await readFile(join(source, 'dynamicconfig/development-sql.yaml'), 'utf8'));
  Object.assign(dynamic, {
    // New namespaces (tests make eight) are served seconds after creation, not after the default 10 s.
    'system.namespaceCacheRefreshInterval': [{ value: '1s' }],
    'system.forceSearchAttributesCacheRefreshOnRead': [{ value: true }],
    'frontend.maxNamespaceVisibilityRPSPerInstance': [{ value: 100 }],
    'frontend.enableServerVersionCheck': [{ value: false }],
  });
  config.dynamicConfigClient = { filepath: join(configDir, 'dynamicconfig/capstan.yaml'), pollInterval: '10s' };
  await writeFile(join(configDir, 'dynamicconfig/capstan.yaml'), stringify(dynamic));
  await writeFile(join(configDir, 'development-postgres12.yaml'), stringify(config));
  return configDir;
}

async function startServer(binaries: ClusterBinaries, configDir: string, address: string, dir: string) {
  const args = [
    '--root',
    dir,
    '--config',
    relative(dir, configDir),
    '--env',
    'development-postgres12',
    '--allow-no-auth',
    'start',
  ];
  const child = spawn(binaries.server, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  try {
    await waitUntilServing(address, child, 120_000);
  } catch (err) {
    child.kill('SIGKILL');
    const logged = [...output.matchAll(/"level":"(?:error|fatal)","ts":"[^"]*","msg":"((?:[^"\\]|\\.)*)"/g)].at(
      -1,
    )?.[1];
    Object.assign(err as Error, { output }); // the server's own output rides on the cause, for DEBUG=1
    throw new Error(`Temporal server did not start (${logged ?? (err as Error).message})`, { cause: err });
  }
  return child;
}

/** Each namespace, with Capstan's search attributes; existing ones are left as they are. */
async function ensureNamespaces(address: string, namespaces: string[]): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    for (const namespace of namespaces) {
      await connection.workflowService
        .registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('3 days') })
        .catch((err: { code?: number }) => {
          if (err.code !== 6) throw err; // ALREADY_EXISTS
        });
    }
    const keyword = proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
    for (const namespace of namespaces) {
      const existing = await until(() => connection.operatorService.listSearchAttributes({ namespace }));
      const missing = Object.values(searchAttributes).filter((key) => !(key.name in existing.customAttributes));
      if (missing.length)
        await connection.operatorService.addSearchAttributes({
          namespace,
          searchAttributes: Object.fromEntries(missing.map((key) => [key.name, keyword])),
        });
    }
    // The history and matching services learn of new namespaces on their next cache refresh (1 s).
    for (const namespace of namespaces) await until(() => connection.workflowService.describeNamespace({ namespace }));
    await new Promise((r) => setTimeout(r, 2_000));
  } finally {
    await connection.close();
  }
}

async function until<T>(call: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await call();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
