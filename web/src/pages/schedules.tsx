import { useState } from 'preact/hooks';
import { send } from '../api.ts';
import { ConfirmButton, isoOf, Outcome, usePolling, useWatchWindow } from '../actions.tsx';
import { AuditTrail } from '../audit.tsx';
import { Badge, Empty, ErrorBox, Page, useGet, When, WorkflowLink } from '../components.tsx';
import { byWorkflowId } from '../workflows.ts';

interface Schedule {
  id: string;
  exists: boolean;
  workflow_type: string | null;
  note: string | null;
  paused: boolean;
  interval_ms: number | null;
  next_action_times: string[];
  recent_actions: { scheduled_at: string; taken_at: string; workflow_id: string }[];
}

const every = (ms: number) =>
  ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`;

export function Schedules() {
  const schedules = useGet<{ payload: Schedule[] }>('/v1/schedules');
  const [outcome, setOutcome] = useState<string>();
  const [version, setVersion] = useState(0);
  const [watching, watch] = useWatchWindow(10_000);
  usePolling(watching, schedules.reload, 1_000);
  const rows = schedules.data?.payload ?? [];
  const operate = async (id: string, operation: string, body: object) => {
    await send('POST', `/v1/schedules/${encodeURIComponent(id)}/${operation}`, body);
    setOutcome(`${id}: ${operation} done.`);
    setVersion((n) => n + 1);
    watch();
    schedules.reload();
  };
  return (
    <Page title="Schedules">
      <Outcome text={outcome} />
      <ErrorBox error={schedules.error} />
      <Empty loaded={schedules.data !== undefined} count={rows.length} what="schedules" />
      <ul class="rows" aria-label="Schedules">
        {rows.map((s) => (
          <li key={s.id} data-schedule={s.id}>
            <div class="row-head">
              <strong>{s.id}</strong> {s.workflow_type && <span class="muted">runs {s.workflow_type}</span>}{' '}
              <Badge value={!s.exists ? 'missing' : s.paused ? 'paused' : 'active'} />
            </div>
            <div class="row-meta">
              {s.interval_ms !== null && <span>every {every(s.interval_ms)}</span>}
              {s.note && <span class="wrap">note: {s.note}</span>}
              {s.next_action_times[0] && (
                <span>
                  next <When at={s.next_action_times[0]} />
                </span>
              )}
              <span data-recent-count={s.recent_actions.length}>{s.recent_actions.length} recent runs</span>
              {s.recent_actions.at(-1) && (
                <WorkflowLink query={byWorkflowId(s.recent_actions.at(-1)!.workflow_id)} label="Latest run" />
              )}
            </div>
            {s.exists && <ScheduleActions schedule={s} operate={operate} />}
          </li>
        ))}
      </ul>
      <AuditTrail action="schedule." version={version} />
    </Page>
  );
}

function ScheduleActions({
  schedule: s,
  operate,
}: {
  schedule: Schedule;
  operate: (id: string, operation: string, body: object) => Promise<void>;
}) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const withReason = (reason: string) => (reason ? { reason } : {});
  const rangeOk = from !== '' && to !== '' && Date.parse(from) < Date.parse(to);
  return (
    <div class="buttons">
      <ConfirmButton
        label={s.paused ? 'Unpause' : 'Pause'}
        reason="optional"
        question={s.paused ? `Let ${s.id} run again on its interval?` : `Stop ${s.id} from starting runs?`}
        yes={s.paused ? 'Yes, unpause' : 'Yes, pause'}
        onConfirm={({ reason }) => operate(s.id, s.paused ? 'unpause' : 'pause', withReason(reason))}
      />
      <ConfirmButton
        label="Trigger"
        reason="optional"
        question={`Start one run of ${s.id} now?`}
        yes="Yes, run it"
        onConfirm={({ reason }) => operate(s.id, 'trigger', withReason(reason))}
      />
      <ConfirmButton
        label="Backfill…"
        reason="optional"
        question={`Run ${s.id} for every time it was due in a range?`}
        yes="Yes, backfill"
        ready={rangeOk}
        onConfirm={({ reason }) =>
          operate(s.id, 'backfill', { from: isoOf(from), to: isoOf(to), ...withReason(reason) })
        }
      >
        <label>
          From
          <input type="datetime-local" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </label>
        <label>
          To
          <input type="datetime-local" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </label>
      </ConfirmButton>
    </div>
  );
}
