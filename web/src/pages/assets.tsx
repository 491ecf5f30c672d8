import { useState } from 'preact/hooks';
import { api, send } from '../api.ts';
import { ConfirmButton, Outcome, usePolling } from '../actions.tsx';
import { AuditTrail } from '../audit.tsx';
import { Badge, Empty, ErrorBox, Page, useGet, When, WorkflowLink } from '../components.tsx';
import { byWorkflowId } from '../workflows.ts';

interface Build {
  id: number;
  source_hash: string;
  status: 'building' | 'ready' | 'deleted';
  live: boolean;
  files: number;
  total_bytes: number;
  workflow_id: string | null;
  created_at: string;
  ready_at: string | null;
}

interface Run {
  run: string;
  status: string;
  progress: { phase: string; files_done: number; files_total: number } | null;
  result: { buildId?: number; reused?: boolean } | null;
  error: string | null;
}

const kib = (bytes: number) => `${Math.round(bytes / 1024)} KiB`;

export function AssetBuilds() {
  const builds = useGet<{ payload: Build[] }>('/v1/assets/builds');
  const [run, setRun] = useState<Run>();
  const [outcome, setOutcome] = useState<string>();
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<unknown>();
  const running = run?.status === 'RUNNING';
  // The run's phase and files each second while it builds; the list once it ends.
  usePolling(running, () => {
    if (!run) return;
    api<Run>('GET', `/v1/assets/runs/${run.run}`).then(
      (next) => {
        setRun(next);
        if (next.status === 'RUNNING') return;
        setOutcome(next.error ? `Build failed: ${next.error}` : `Build ${next.status.toLowerCase()}.`);
        setVersion((n) => n + 1);
        builds.reload();
      },
      (err: unknown) => setError(err),
    );
  });
  const rows = builds.data?.payload ?? [];
  return (
    <Page title="Asset builds">
      <ConfirmButton
        label="Build the console now…"
        question="Build the console from its sources and make the build live?"
        yes="Yes, build"
        disabled={running}
        onConfirm={async () => {
          setRun(await send<Run>('POST', '/v1/assets/builds'));
          setOutcome(undefined);
        }}
      />
      {run && (
        <p class="progress-line" data-run-status={run.status} aria-live="polite">
          Build run {run.status.toLowerCase()}
          {run.progress && `: ${run.progress.phase}, ${run.progress.files_done} of ${run.progress.files_total} files`}
        </p>
      )}
      <Outcome text={outcome} />
      <ErrorBox error={error ?? builds.error} />
      <Empty loaded={builds.data !== undefined} count={rows.length} what="builds" />
      <ul class="rows" aria-label="Builds, newest first">
        {rows.map((b) => (
          <li key={b.id} data-build={b.id} data-live={b.live}>
            <div class="row-head">
              <strong>Build {b.id}</strong> <Badge value={b.status} /> {b.live && <Badge value="live" />}
            </div>
            <div class="row-meta">
              <span class="wrap">sources {b.source_hash.slice(0, 12)}</span>
              <span>
                {b.files} files, {kib(b.total_bytes)}
              </span>
              <span>
                built <When at={b.ready_at ?? b.created_at} />
              </span>
              {b.workflow_id && <WorkflowLink query={byWorkflowId(b.workflow_id)} />}
            </div>
            {b.status === 'ready' && !b.live && (
              <ConfirmButton
                label="Roll back to this build"
                danger
                question={`Make build ${b.id} live again? Pages load it from their next visit.`}
                yes="Yes, roll back"
                onConfirm={async () => {
                  const r = await send<{ from_build_id: number | null; to_build_id: number }>(
                    'POST',
                    '/v1/assets/rollback',
                    { build_id: b.id },
                  );
                  setOutcome(`Live build: ${r.from_build_id ?? 'none'} → ${r.to_build_id}.`);
                  setVersion((n) => n + 1);
                  builds.reload();
                }}
              />
            )}
          </li>
        ))}
      </ul>
      <AuditTrail action="assets." version={version} />
    </Page>
  );
}
