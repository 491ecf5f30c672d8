import { SingleBar } from 'cli-progress';
import { apiTargetEnv } from '../../config/api-target-env.ts';
import { apiClient } from '../api-client.ts';

type Api = ReturnType<typeof apiClient>;
const POLL_MS = 250;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** `capstan assets build|list|show <id>|rollback [build]|gc`, through the API (platform token). */
export async function assetsCommand(action: string, arg: string | undefined): Promise<void> {
  const api = apiClient(apiTargetEnv());
  switch (action) {
    case 'build':
      return build(api);
    case 'list':
      return list(api);
    case 'show':
      if (!arg) throw new Error('usage: capstan assets show <build-id>');
      console.log(JSON.stringify(await api('GET', `/v1/assets/builds/${buildId(arg)}`), null, 2));
      return;
    case 'rollback': {
      const body = arg ? { build_id: buildId(arg) } : {};
      const r = await api('POST', '/v1/assets/rollback', body);
      console.log(
        r.changed
          ? `build ${r.to_build_id} is live (was ${r.from_build_id})`
          : `build ${r.to_build_id} was already live`,
      );
      return;
    }
    case 'gc': {
      const r = await api('POST', '/v1/assets/gc', {});
      console.log(
        `kept builds ${r.kept_builds.join(', ') || '-'}; deleted builds ${r.deleted_builds.join(', ') || '-'}, ${r.deleted_files} files`,
      );
      return;
    }
    default:
      throw new Error(`unknown action ${action}: build | list | show <id> | rollback [build] | gc`);
  }
}

function buildId(arg: string): number {
  const id = Number(arg);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Error(`not a build id: ${arg}`);
  return id;
}

/** Starts a build and follows its progress query with a bar until it ends. */
async function build(api: Api): Promise<void> {
  const started = await api('POST', '/v1/assets/builds');
  const bar = new SingleBar({
    format: '{phase} [{bar}] {value}/{total} files · {bytes}',
    hideCursor: true,
    clearOnComplete: false,
  });
  bar.start(1, 0, { phase: 'starting'.padEnd(11), bytes: '' });
  try {
    for (;;) {
      const run = await api('GET', started.links.self);
      const p = run.progress;
      if (p) {
        bar.setTotal(Math.max(1, p.files_total));
        bar.update(p.files_done, {
          phase: String(p.phase).padEnd(11),
          bytes: p.bytes_total ? `${kb(p.bytes_done)} / ${kb(p.bytes_total)}` : '',
        });
      }
      if (run.status === 'COMPLETED') {
        const r = run.result;
        bar.update(bar.getTotal(), { phase: 'done'.padEnd(11) });
        bar.stop();
        console.log(
          r.reused
            ? `build ${r.buildId} reused (sources ${r.sourceHash.slice(0, 12)} unchanged): nothing uploaded`
            : `build ${r.buildId} live: ${r.files} files, ${kb(r.totalBytes)}; uploaded ${r.uploadedFiles} (${kb(r.uploadedBytes)})`,
        );
        return;
      }
      if (run.status !== 'RUNNING') {
        bar.stop();
        throw new Error(
          `build ${run.status.toLowerCase()}: ${run.error ?? 'see the workflow in the Temporal Web UI'} (${run.workflow_id})`,
        );
      }
      await sleep(POLL_MS);
    }
  } finally {
    bar.stop();
  }
}

async function list(api: Api): Promise<void> {
  const { payload } = await api('GET', '/v1/assets/builds');
  if (!payload.length) return console.log('no builds yet: capstan assets build');
  for (const b of payload) {
    const total = Object.values(b.phase_ms as Record<string, number>).reduce((n, ms) => n + ms, 0);
    console.log(
      [
        String(b.id).padStart(5),
        b.live ? 'LIVE ' : '     ',
        b.status.padEnd(8),
        b.source_hash.slice(0, 12),
        `${b.files} files`.padEnd(10),
        kb(b.total_bytes).padStart(11),
        `${total} ms`.padStart(9),
        b.created_at,
      ].join('  '),
    );
  }
}
