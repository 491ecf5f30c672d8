import { useState } from 'preact/hooks';
import { api, send } from '../api.ts';
import { ConfirmButton } from '../actions.tsx';
import { Badge, ErrorBox, When } from '../components.tsx';

export interface Letter {
  id: number;
  kind: string;
  status: 'open' | 'retried' | 'discarded';
  workflow_id: string;
  account_id: number | null;
  failure_type: string;
  failure_message: string;
  attempts: number;
  last_failure_at: string;
  web_ui_url: string;
  retry: { workflow_id: string | null; run_id: string | null; by: string | null } | null;
  discard: { reason: string | null; by: string | null } | null;
  input?: unknown;
}

/** One letter: its failure, where it ran, its input on demand (secrets removed), and retry or discard while open. */
export function LetterRow({ letter: l, onDone }: { letter: Letter; onDone: (text: string) => void }) {
  const [input, setInput] = useState<{ shown: boolean; value?: unknown; error?: unknown }>({ shown: false });
  const toggleInput = async () => {
    if (input.shown) return setInput({ shown: false });
    try {
      setInput({ shown: true, value: (await api<Letter>('GET', `/v1/dead-letters/${l.id}`)).input });
    } catch (error) {
      setInput({ shown: true, error });
    }
  };
  return (
    <li data-letter={l.id} data-workflow={l.workflow_id}>
      <div class="row-head">
        <strong>{l.kind}</strong> <span class="muted">#{l.id}</span> <Badge value={l.status} />
      </div>
      <p class="wrap error-text">
        {l.failure_type}: {l.failure_message}
      </p>
      <div class="row-meta">
        <span class="wrap">{l.workflow_id}</span>
        {l.account_id !== null && <span>account {l.account_id}</span>}
        <span>
          {l.attempts} attempt{l.attempts === 1 ? '' : 's'}, last <When at={l.last_failure_at} />
        </span>
        {l.retry && <span>retried by {l.retry.by}</span>}
        {l.discard && (
          <span class="wrap">
            discarded by {l.discard.by}: {l.discard.reason}
          </span>
        )}
        {l.web_ui_url.startsWith('http') && (
          <a href={l.web_ui_url} target="_blank" rel="noopener noreferrer">
            History ↗
          </a>
        )}
      </div>
      <div class="buttons">
        <button type="button" class="secondary" aria-expanded={input.shown} onClick={() => void toggleInput()}>
          {input.shown ? 'Hide input' : 'Show input'}
        </button>
        {l.status === 'open' && (
          <>
            <ConfirmButton
              label="Retry"
              question={`Start ${l.workflow_id} again with the same input?`}
              yes="Yes, retry"
              onConfirm={async () => {
                const r = await send<{ run_id: string | null; started: boolean }>(
                  'POST',
                  `/v1/dead-letters/${l.id}/retry`,
                );
                onDone(
                  r.started
                    ? `Letter ${l.id} retried: run ${r.run_id} started.`
                    : `Letter ${l.id} was retried already.`,
                );
              }}
            />
            <ConfirmButton
              label="Discard"
              danger
              reason="required"
              question={`Close letter ${l.id} without retrying it?`}
              yes="Yes, discard"
              onConfirm={async ({ reason }) => {
                await send('POST', `/v1/dead-letters/${l.id}/discard`, { reason });
                onDone(`Letter ${l.id} discarded.`);
              }}
            />
          </>
        )}
      </div>
      {input.shown && (
        <>
          <ErrorBox error={input.error} />
          {'value' in input && (
            <pre class="payload" tabIndex={0} aria-label={`Input of letter ${l.id}, secrets removed`}>
              {JSON.stringify(input.value, null, 2)}
            </pre>
          )}
        </>
      )}
    </li>
  );
}
