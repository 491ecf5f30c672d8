import { useState } from 'preact/hooks';
import { send } from '../api.ts';
import { ConfirmButton, Outcome, usePolling } from '../actions.tsx';
import { AuditTrail } from '../audit.tsx';
import { Badge, Empty, ErrorBox, Page, useGet, When } from '../components.tsx';

interface Breaker {
  name: string;
  state: 'closed' | 'open' | 'half_open';
  failures: number;
  failure_threshold: number;
  window_ms: number;
  opened_at: string | null;
  half_open_at: string | null;
  last_failure: string | null;
  last_failure_at: string | null;
  totals: { failures: number; opened: number; trials: number; refused: number };
}

/** Breakers change on their own (a trial, a failure): the list refreshes every 5 s. */
const POLL_MS = 5_000;

export function Breakers() {
  const breakers = useGet<{ payload: Breaker[] }>('/v1/breakers');
  const [outcome, setOutcome] = useState<string>();
  const [version, setVersion] = useState(0);
  usePolling(true, breakers.reload, POLL_MS);
  const rows = breakers.data?.payload ?? [];
  return (
    <Page title="Circuit breakers">
      <Outcome text={outcome} />
      <ErrorBox error={breakers.error} />
      <Empty
        loaded={breakers.data !== undefined}
        count={rows.length}
        what="breakers (one appears at its first failure)"
      />
      <ul class="rows" aria-label="Breakers">
        {rows.map((b) => (
          <li key={b.name} data-breaker={b.name}>
            <div class="row-head">
              <strong class="wrap">{b.name}</strong> <Badge value={b.state} />
            </div>
            <div class="row-meta">
              <span>
                {b.failures} of {b.failure_threshold} failures in {Math.round(b.window_ms / 1000)} s
              </span>
              <span>
                totals: {b.totals.failures} failures, opened {b.totals.opened}×, {b.totals.trials} trials,{' '}
                {b.totals.refused} calls refused
              </span>
              {b.opened_at && (
                <span>
                  opened <When at={b.opened_at} />
                </span>
              )}
              {b.state === 'open' && b.half_open_at && (
                <span>
                  trial at <When at={b.half_open_at} />
                </span>
              )}
              {b.last_failure && <span class="wrap">last failure: {b.last_failure}</span>}
            </div>
            {b.state !== 'closed' && (
              <ConfirmButton
                label="Reset"
                reason="required"
                question={`Close the ${b.name} breaker now? Calls go through again at once.`}
                yes="Yes, close it"
                onConfirm={async ({ reason }) => {
                  const r = await send<{ state: string; before: string }>(
                    'POST',
                    `/v1/breakers/${encodeURIComponent(b.name)}/reset`,
                    { reason },
                  );
                  setOutcome(`${b.name}: ${r.before} → ${r.state}.`);
                  setVersion((n) => n + 1);
                  breakers.reload();
                }}
              />
            )}
          </li>
        ))}
      </ul>
      <AuditTrail action="breaker." version={version} />
    </Page>
  );
}
