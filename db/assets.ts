import type { RetainedBuild, ViteManifest } from '../domain/assets.ts';
import type { Sql, TransactionSql } from './pool.ts';

export interface AssetFile {
  key: string;
  bytes: number;
}

/** A build as the API and activities show it. */
export interface AssetBuild {
  id: number;
  sourceHash: string;
  entries: string[];
  status: 'building' | 'ready' | 'deleted';
  live: boolean;
  files: AssetFile[];
  totalBytes: number;
  uploadedFiles: number;
  uploadedBytes: number;
  phaseMs: Record<string, number>;
  workflowId: string | null;
  createdAt: string;
  readyAt: string | null;
  deletedAt: string | null;
}

interface BuildRow {
  id: number;
  source_hash: string;
  entries: string[];
  status: AssetBuild['status'];
  live: boolean;
  files: AssetFile[];
  total_bytes: string;
  uploaded_files: number;
  uploaded_bytes: string;
  phase_ms: Record<string, number>;
  workflow_id: string | null;
  created_at: Date;
  ready_at: Date | null;
  deleted_at: Date | null;
}

const view = (r: BuildRow): AssetBuild => ({
  id: r.id,
  sourceHash: r.source_hash,
  entries: r.entries,
  status: r.status,
  live: r.live,
  files: r.files,
  totalBytes: Number(r.total_bytes),
  uploadedFiles: r.uploaded_files,
  uploadedBytes: Number(r.uploaded_bytes),
  phaseMs: r.phase_ms,
  workflowId: r.workflow_id,
  createdAt: r.created_at.toISOString(),
  readyAt: r.ready_at?.toISOString() ?? null,
  deletedAt: r.deleted_at?.toISOString() ?? null,
});

const buildColumns = (sql: Sql | TransactionSql) => sql`
  b.id, b.source_hash, b.entries, b.status, b.files, b.total_bytes, b.uploaded_files, b.uploaded_bytes,
  b.phase_ms, b.workflow_id, b.created_at, b.ready_at, b.deleted_at,
  exists (select 1 from asset_live l where l.build_id = b.id) as live`;

export async function assetBuilds(sql: Sql, options: { limit?: number } = {}): Promise<AssetBuild[]> {
  const rows = await sql<BuildRow[]>`
    select ${buildColumns(sql)} from asset_builds b order by b.id desc limit ${options.limit ?? 50}`;
  return rows.map(view);
}

export async function assetBuild(sql: Sql | TransactionSql, id: number): Promise<AssetBuild | null> {
  const [row] = await sql<BuildRow[]>`select ${buildColumns(sql)} from asset_builds b where b.id = ${id}`;
  return row ? view(row) : null;
}

export async function assetBuildBySourceHash(sql: Sql, sourceHash: string): Promise<AssetBuild | null> {
  const [row] = await sql<BuildRow[]>`
    select ${buildColumns(sql)} from asset_builds b where b.source_hash = ${sourceHash}`;
  return row ? view(row) : null;
}

/**
 * The build of these sources, registered once its files are known and before
 * any upload, so garbage collection counts its files as in use. A retry, or a
 * rebuild of sources whose build was collected, finds the same row.
 */
export async function registerAssetBuild(
  sql: Sql,
  build: { sourceHash: string; entries: string[]; files: AssetFile[]; workflowId: string },
): Promise<number> {
  const totalBytes = build.files.reduce((n, f) => n + f.bytes, 0);
  const [row] = await sql<{ id: number }[]>`
    insert into asset_builds (source_hash, entries, files, total_bytes, workflow_id)
    values (${build.sourceHash}, ${build.entries}, ${sql.json(build.files as never)}, ${totalBytes}, ${build.workflowId})
    on conflict (source_hash) do update set
      files = excluded.files,
      total_bytes = excluded.total_bytes,
      status = case when asset_builds.status = 'deleted' then 'building' else asset_builds.status end,
      workflow_id = case when asset_builds.status = 'ready' then asset_builds.workflow_id else excluded.workflow_id end,
      deleted_at = null,
      purged_at = null,
      created_at = case when asset_builds.status = 'deleted' then now() else asset_builds.created_at end
    returning id`;
  return row!.id;
}

export async function markAssetBuildReady(
  sql: Sql,
  ready: {
    id: number;
    manifest: ViteManifest;
    uploadedFiles: number;
    uploadedBytes: number;
    phaseMs: Record<string, number>;
  },
): Promise<void> {
  await sql`
    update asset_builds set
      status = 'ready',
      manifest = ${sql.json(ready.manifest as never)},
      uploaded_files = ${ready.uploadedFiles},
      uploaded_bytes = ${ready.uploadedBytes},
      phase_ms = ${sql.json(ready.phaseMs)},
      ready_at = coalesce(ready_at, now())
    where id = ${ready.id}`;
}

/** The live build's id, locking the pointer until the transaction ends. */
export async function lockLiveBuild(tx: TransactionSql): Promise<number | null> {
  await tx`select pg_advisory_xact_lock(${0x41535354})`; // "ASST": one switch at a time, even the first
  const [row] = await tx<{ build_id: number }[]>`select build_id from asset_live for update`;
  return row?.build_id ?? null;
}

/** Points the live manifest at a build and records the switch; call inside the transaction that locked it. */
export async function pointLiveAt(
  tx: TransactionSql,
  to: {
    fromBuildId: number | null;
    toBuildId: number;
    reason: 'build' | 'rollback';
    actor: string;
    workflowId: string;
  },
): Promise<void> {
  await tx`
    insert into asset_live (singleton, build_id, switched_at) values (true, ${to.toBuildId}, now())
    on conflict (singleton) do update set build_id = excluded.build_id, switched_at = now()`;
  await tx`
    insert into asset_switches (from_build_id, to_build_id, reason, actor, workflow_id)
    values (${to.fromBuildId}, ${to.toBuildId}, ${to.reason}, ${to.actor}, ${to.workflowId})
    on conflict (workflow_id) do nothing`;
}

/** The switch a run already made, so a retried switch answers the same. */
export async function switchOfRun(
  sql: Sql | TransactionSql,
  workflowId: string,
): Promise<{ fromBuildId: number | null; toBuildId: number } | null> {
  const [row] = await sql<{ from_build_id: number | null; to_build_id: number }[]>`
    select from_build_id, to_build_id from asset_switches where workflow_id = ${workflowId}`;
  return row ? { fromBuildId: row.from_build_id, toBuildId: row.to_build_id } : null;
}

/** The newest ready build before `beforeId`: what a rollback goes back to by default. */
export async function previousReadyBuild(sql: Sql | TransactionSql, beforeId: number): Promise<number | null> {
  const [row] = await sql<{ id: number }[]>`
    select id from asset_builds where status = 'ready' and id < ${beforeId} order by id desc limit 1`;
  return row?.id ?? null;
}

export async function liveManifest(sql: Sql): Promise<{ buildId: number; manifest: ViteManifest } | null> {
  const [row] = await sql<{ build_id: number; manifest: ViteManifest }[]>`
    select l.build_id, b.manifest from asset_live l join asset_builds b on b.id = l.build_id`;
  return row ? { buildId: row.build_id, manifest: row.manifest } : null;
}

/** Every build not yet collected, with the keys of its files, and the live one's id. */
export async function retentionCandidates(
  sql: Sql,
): Promise<{ builds: RetainedBuild[]; liveId: number | null; now: Date }> {
  const rows = await sql<{ id: number; status: RetainedBuild['status']; created_at: Date; keys: string[] | null }[]>`
    select b.id, b.status, b.created_at,
           (select array_agg(f->>'key') from jsonb_array_elements(b.files) f) as keys
    from asset_builds b where b.status <> 'deleted'`;
  const [clock] = await sql<{ now: Date; live: number | null }[]>`
    select now() as now, (select build_id from asset_live) as live`;
  return {
    builds: rows.map((r) => ({ id: r.id, status: r.status, createdAt: r.created_at, files: r.keys ?? [] })),
    liveId: clock!.live,
    now: clock!.now,
  };
}

/** Marks builds collected, unless one became live meanwhile (a rollback between plan and delete). */
export async function markAssetBuildsDeleted(sql: Sql, ids: number[]): Promise<number[]> {
  if (!ids.length) return [];
  const rows = await sql<{ id: number }[]>`
    update asset_builds set status = 'deleted', deleted_at = now()
    where id = any(${ids}) and status <> 'deleted' and id not in (select build_id from asset_live)
    returning id`;
  return rows.map((r) => r.id);
}

/**
 * Files of collected builds still to delete from the origin: those of deleted,
 * unpurged builds that no remaining build references (a file shared with a
 * kept or newer build stays).
 */
export async function filesToPurge(sql: Sql): Promise<{ buildIds: number[]; keys: string[] }> {
  const builds = await sql<{ id: number }[]>`
    select id from asset_builds where status = 'deleted' and purged_at is null`;
  const rows = await sql<{ key: string }[]>`
    select distinct f->>'key' as key
    from asset_builds d, jsonb_array_elements(d.files) f
    where d.status = 'deleted' and d.purged_at is null
      and not exists (
        select 1 from asset_builds k, jsonb_array_elements(k.files) kf
        where k.status <> 'deleted' and kf->>'key' = f->>'key')
    order by 1`;
  return { buildIds: builds.map((b) => b.id), keys: rows.map((r) => r.key) };
}

export async function markAssetBuildsPurged(sql: Sql, ids: number[]): Promise<void> {
  if (ids.length) await sql`update asset_builds set purged_at = now() where id = any(${ids}) and status = 'deleted'`;
}

/** For metrics: the phase durations of the latest ready builds, newest first. */
export async function lastAssetBuildDurations(
  sql: Sql,
  limit = 10,
): Promise<{ buildId: number; readyAt: string; phaseMs: Record<string, number>; totalMs: number }[]> {
  const rows = await sql<{ id: number; ready_at: Date; phase_ms: Record<string, number> }[]>`
    select id, ready_at, phase_ms from asset_builds where ready_at is not null order by ready_at desc limit ${limit}`;
  return rows.map((r) => ({
    buildId: r.id,
    readyAt: r.ready_at.toISOString(),
    phaseMs: r.phase_ms,
    totalMs: Object.values(r.phase_ms).reduce((n, ms) => n + ms, 0),
  }));
}
