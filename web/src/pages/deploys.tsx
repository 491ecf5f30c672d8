import { useEffect, useRef, useState } from 'preact/hooks';
import { api, withQuery } from '../api.ts';
import { Badge, Empty, ErrorBox, MoreButton, Page, usePages, When, WorkflowLink } from '../components.tsx';
import { byWorkflowId } from '../workflows.ts';

interface Deploy {
  id: number;
  owner_id: string;
  app_id: string;
  commit: string | null;
  outcome: string;
  rollback_of: number | null;
  requested_at: string;
  finished_at: string | null;
  workflow_id: string;
}

interface Live {
  status: string;
  progress: { phase: string; state: string | null; elapsedMs: number; timeLeftMs: number } | null;
  outcome: { status: string } | null;
}

const POLL_MS = 1_000;

export function Deploys() {
  const pages = usePages<Deploy>((cursor) => withQuery('/v1/deploys', { cursor, limit: 20 }), 'deploys');
  return (
    <Page
      title="Deploys"
      actions={
        <button type="button" onClick={pages.reload}>
          Refresh
        </button>
      }
    >
      <ErrorBox error={pages.error} />
      <Empty loaded={pages.loaded} count={pages.items.length} what="deploys" />
      <ul class="rows" aria-label="Deploys, newest first">
        {pages.items.map((d) => (
          <li key={d.id} data-deploy={d.id} data-app={d.app_id}>
            <div class="row-head">
              <strong>{d.app_id}</strong> <span class="muted">{d.owner_id}</span> <Badge value={d.outcome} />
              {d.rollback_of && <span class="muted"> rollback of #{d.rollback_of}</span>}
            </div>
            <div class="row-meta">
              <span class="wrap">commit {d.commit ?? 'latest'}</span>
              <span>
                Requested <When at={d.requested_at} />
              </span>
              <WorkflowLink query={byWorkflowId(d.workflow_id)} />
            </div>
            {d.outcome === 'running' && <LiveDeploy deploy={d} onEnded={pages.reload} />}
          </li>
        ))}
      </ul>
      <MoreButton pages={pages} label="Older deploys" />
    </Page>
  );
}

/** Polls the running workflow's progress query until the deploy ends; cancel asks for a confirmation first. */
function LiveDeploy({ deploy, onEnded }: { deploy: Deploy; onEnded: () => void }) {
  // Owner and app ids are letters, digits, _ and -: nothing to escape.
  const path = `/v1/deploys/${deploy.owner_id}:${deploy.app_id}`;
  const [live, setLive] = useState<Live>();
  const [error, setError] = useState<unknown>();
  const [confirming, setConfirming] = useState(false);
  const [cancelRequested, setCancelRequested] = useState(false);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const ended = useRef(onEnded);
  ended.current = onEnded;

  useEffect(() => {
    let timer: number | undefined;
    let stopped = false;
    const poll = async () => {
      try {
        const answer = await api<Live>('GET', path);
        if (stopped) return;
        setLive(answer);
        if (answer.status !== 'RUNNING') return ended.current();
      } catch (err) {
        if (!stopped) setError(err);
      }
      if (!stopped) timer = window.setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [path]);

  // Focus follows the question: onto "Yes" when it opens, back onto "Cancel deploy" when it is dismissed.
  const asked = useRef(false);
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
    else if (asked.current) cancelButton.current?.focus();
    asked.current = confirming;
  }, [confirming]);

  const dismiss = () => setConfirming(false);
  const cancel = async () => {
    setConfirming(false);
    try {
      await api('POST', `${path}/cancel`);
      setCancelRequested(true);
    } catch (err) {
      setError(err);
    }
  };

  const p = live?.progress;
  return (
    <div class="live" aria-live="polite">
      <ErrorBox error={error} />
      <p class="progress-line" data-live-status={live?.status ?? 'loading'}>
        {p
          ? `${p.phase}${p.state ? ` (${p.state})` : ''} · ${Math.round(p.elapsedMs / 1000)} s elapsed, ${Math.round(p.timeLeftMs / 1000)} s left`
          : 'Reading progress…'}
      </p>
      {p && <progress max={p.elapsedMs + p.timeLeftMs} value={p.elapsedMs} aria-label="Time used of the deadline" />}
      {cancelRequested ? (
        <p class="muted">Cancel requested…</p>
      ) : confirming ? (
        <div
          class="confirm"
          role="alertdialog"
          aria-label={`Cancel the deploy of ${deploy.app_id}?`}
          onKeyDown={(e) => e.key === 'Escape' && dismiss()}
        >
          <span>Cancel the deploy of {deploy.app_id}?</span>
          <button type="button" ref={confirmButton} class="danger" onClick={() => void cancel()}>
            Yes, cancel it
          </button>
          <button type="button" onClick={dismiss}>
            Keep it running
          </button>
        </div>
      ) : (
        <button type="button" ref={cancelButton} class="danger" onClick={() => setConfirming(true)}>
          Cancel deploy
        </button>
      )}
    </div>
  );
}
