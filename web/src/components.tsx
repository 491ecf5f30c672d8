import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useEffect, useRef, useState } from 'preact/hooks';
import { api, type Page as ApiPage } from './api.ts';
import { webUiLink, type Settings } from './workflows.ts';

export const SettingsContext = createContext<Settings | null>(null);

export function useSettings(): Settings {
  const settings = useContext(SettingsContext);
  if (!settings) throw new Error('useSettings outside the signed-in console');
  return settings;
}

/** A page: its heading takes focus when it opens, so keyboard and screen-reader users start at its top. */
export function Page({
  title,
  children,
  actions,
}: {
  title: string;
  children: ComponentChildren;
  actions?: ComponentChildren;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Capstan console`;
    heading.current?.focus();
  }, [title]);
  return (
    <section aria-labelledby="page-title">
      <div class="page-head">
        <h1 id="page-title" tabIndex={-1} ref={heading}>
          {title}
        </h1>
        {actions}
      </div>
      {children}
    </section>
  );
}

export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p class="error" role="alert">
      {error instanceof Error ? error.message : String(error)}
    </p>
  );
}

export interface Load<T> {
  data: T | undefined;
  error: unknown;
  reload: () => void;
}

/** One GET, reloaded when `path` changes or on demand. */
export function useGet<T>(path: string): Load<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    api<T>('GET', path).then(
      (body) => current && (setData(body), setError(undefined)),
      (err: unknown) => current && setError(err),
    );
    return () => {
      current = false;
    };
  }, [path, round]);
  return { data, error, reload: useCallback(() => setRound((n) => n + 1), []) };
}

/** A paginated list: the first page, then `more()` appends the next one while there is one. */
export function usePages<T>(path: (cursor: string | null) => string, key: string) {
  const [items, setItems] = useState<T[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<unknown>();
  // The latest path builder; `key` says when it names another list.
  const pathOf = useRef(path);
  pathOf.current = path;
  const fetchPage = useCallback(
    async (cursor: string | null, replace: boolean) => {
      try {
        const page = await api<ApiPage<T>>('GET', pathOf.current(cursor));
        setItems((old) => (replace ? page.payload : [...old, ...page.payload]));
        setNext(page.meta.next_cursor);
        setError(undefined);
      } catch (err) {
        setError(err);
      } finally {
        setLoaded(true);
      }
    },
    [key],
  );
  useEffect(() => {
    setLoaded(false);
    void fetchPage(null, true);
  }, [fetchPage]);
  return {
    items,
    loaded,
    error,
    hasMore: next !== null,
    more: () => void fetchPage(next, false),
    reload: () => void fetchPage(null, true),
  };
}

export function MoreButton({ pages, label }: { pages: { hasMore: boolean; more: () => void }; label: string }) {
  if (!pages.hasMore) return null;
  return (
    <button type="button" class="more" onClick={pages.more}>
      {label}
    </button>
  );
}

/** A link to the Temporal Web UI, filtered to the workflows behind an item. */
export function WorkflowLink({ query, label = 'Workflow' }: { query: string; label?: string }) {
  const href = webUiLink(useSettings(), query);
  if (!href)
    return (
      <span class="muted" title={query}>
        {label}: no Web UI configured
      </span>
    );
  return (
    <a class="workflow" href={href} target="_blank" rel="noopener noreferrer" data-workflow-query={query}>
      {label} ↗
    </a>
  );
}

export function Empty({ loaded, count, what }: { loaded: boolean; count: number; what: string }) {
  if (!loaded)
    return (
      <p class="muted" aria-live="polite">
        Loading {what}…
      </p>
    );
  return count === 0 ? <p class="muted">No {what} yet.</p> : null;
}

export function When({ at }: { at: string | number | null }) {
  if (at === null) return <span class="muted">—</span>;
  const date = typeof at === 'number' ? new Date(at * 1000) : new Date(at);
  return <time dateTime={date.toISOString()}>{date.toLocaleString()}</time>;
}

export function Badge({ value }: { value: string }) {
  return <span class={`badge badge-${value.toLowerCase().replace(/[^a-z]+/g, '-')}`}>{value}</span>;
}
