import { useState } from 'preact/hooks';
import { api, send, withQuery, type Page as ApiPage } from '../api.ts';
import { ConfirmButton, isoOf, Outcome, usePolling, useWatchWindow } from '../actions.tsx';
import { AuditTrail } from '../audit.tsx';
import { Empty, ErrorBox, MoreButton, Page, usePages } from '../components.tsx';
import { LetterRow, type Letter } from './dead-letter-row.tsx';

interface Filter {
  q: string;
  kind: string;
  accountId: string;
  status: string;
  since: string;
  until: string;
}

const none: Filter = { q: '', kind: '', accountId: '', status: 'open', since: '', until: '' };
/** The words a list and a bulk retry share (the API's filterFields). */
const shared = (f: Filter) => ({
  q: f.q.trim() || undefined,
  kind: f.kind.trim() || undefined,
  accountId: f.accountId ? Number(f.accountId) : undefined,
  since: isoOf(f.since),
  until: isoOf(f.until),
});
/** How far a count goes before it says "more than". */
const COUNT_PAGES = 10;

export function DeadLetters() {
  const [draft, setDraft] = useState(none);
  const [filter, setFilter] = useState(none);
  const [outcome, setOutcome] = useState<string>();
  const [version, setVersion] = useState(0);
  const [watching, watch] = useWatchWindow();
  const query = { ...shared(filter), status: filter.status || undefined };
  const pages = usePages<Letter>(
    (cursor) => withQuery('/v1/dead-letters', { ...query, cursor, limit: 20 }),
    JSON.stringify(query),
  );
  usePolling(watching, pages.reload, 2_000);
  const acted = (text: string) => (setOutcome(text), setVersion((n) => n + 1), watch(), pages.reload());
  const field = (name: keyof Filter) => ({
    value: draft[name],
    onInput: (e: { currentTarget: { value: string } }) => setDraft({ ...draft, [name]: e.currentTarget.value }),
  });

  return (
    <Page title="Dead letters">
      <form
        class="filters"
        role="search"
        aria-label="Dead letters"
        onSubmit={(e) => (e.preventDefault(), setFilter(draft))}
      >
        <label>
          Search
          <input type="search" placeholder="answered 503" {...field('q')} />
        </label>
        <label>
          Kind
          <input placeholder="deliverWebhook" {...field('kind')} />
        </label>
        <label>
          Account id
          <input inputMode="numeric" pattern="[0-9]*" {...field('accountId')} />
        </label>
        <label>
          Status
          <select {...field('status')}>
            <option value="">any</option>
            <option value="open">open</option>
            <option value="retried">retried</option>
            <option value="discarded">discarded</option>
          </select>
        </label>
        <label>
          Failed since
          <input type="datetime-local" {...field('since')} />
        </label>
        <label>
          Failed before
          <input type="datetime-local" {...field('until')} />
        </label>
        <button type="submit">Search</button>
      </form>
      <div class="buttons">
        <BulkRetry filter={filter} onDone={acted} />
      </div>
      <Outcome text={outcome} />
      {watching && <p class="muted">Refreshing every 2 s while the retried work runs.</p>}
      <ErrorBox error={pages.error} />
      <Empty loaded={pages.loaded} count={pages.items.length} what="dead letters matching" />
      <ul class="rows" aria-label="Dead letters, newest first">
        {pages.items.map((l) => (
          <LetterRow key={l.id} letter={l} onDone={acted} />
        ))}
      </ul>
      <MoreButton pages={pages} label="Older letters" />
      <AuditTrail action="dead_letter." version={version} />
    </Page>
  );
}

/** Counts the open letters the filter matches when the question opens; "Yes" retries them, 200 a request. */
function BulkRetry({ filter, onDone }: { filter: Filter; onDone: (text: string) => void }) {
  const [count, setCount] = useState<string>();
  const countOpen = async () => {
    setCount(undefined);
    let cursor: string | null = null;
    let n = 0;
    for (let i = 0; i < COUNT_PAGES; i++) {
      const page: ApiPage<Letter> = await api(
        'GET',
        withQuery('/v1/dead-letters', { ...shared(filter), status: 'open', cursor, limit: 100 }),
      );
      n += page.payload.length;
      cursor = page.meta.next_cursor;
      if (!cursor) return setCount(String(n));
    }
    setCount(`more than ${n}`);
  };
  return (
    <ConfirmButton
      label="Retry all matching…"
      question={
        count === undefined
          ? 'Counting the open letters this filter matches…'
          : `Retry ${count} open letter${count === '1' ? '' : 's'} matching this filter?`
      }
      yes="Yes, retry them"
      ready={count !== undefined && count !== '0'}
      onOpen={() => void countOpen().catch(() => setCount('an unknown number of'))}
      onConfirm={async () => {
        const answer = await send<{ payload: { started: boolean }[]; remaining: number }>(
          'POST',
          '/v1/dead-letters/retry',
          shared(filter),
        );
        const started = answer.payload.filter((r) => r.started).length;
        onDone(
          `Retried ${answer.payload.length} letter${answer.payload.length === 1 ? '' : 's'} (${started} new run${started === 1 ? '' : 's'}); ${answer.remaining} left to retry.`,
        );
      }}
    />
  );
}
