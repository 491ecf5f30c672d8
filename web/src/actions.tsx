import type { ComponentChildren } from 'preact';
import { useEffect, useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ErrorBox } from './components.tsx';

export interface Confirmed {
  reason: string;
}

/**
 * A button that asks before it acts: the question opens in place, focus moves into it, Escape or "No" backs out
 * and gives focus back to the button. `reason` asks for a reason (kept in the audit log); `typed` makes the
 * operator type that text before "Yes" is enabled. The question stays open, with the refusal, if the call fails.
 */
export function ConfirmButton(props: {
  label: string;
  question: string;
  yes: string;
  onConfirm: (values: Confirmed) => Promise<unknown>;
  danger?: boolean;
  reason?: 'required' | 'optional';
  typed?: string;
  /** Fields of the question itself (a TTL, a range); `ready` false keeps "Yes" disabled. */
  children?: ComponentChildren;
  ready?: boolean;
  /** Run when the question opens, e.g. to count what a bulk action would touch. */
  onOpen?: () => void;
  disabled?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const opener = useRef<HTMLButtonElement>(null);
  const dialog = useRef<HTMLDivElement>(null);
  const id = useId();
  const asked = useRef(false);

  // Before the next paint, so a key pressed at once lands in the question, not on the page.
  useLayoutEffect(() => {
    if (open) dialog.current?.querySelector<HTMLElement>('input, select, button:not(:disabled)')?.focus();
    else if (asked.current) opener.current?.focus();
    asked.current = open;
  }, [open]);

  const close = () => {
    setOpen(false);
    setReason('');
    setTyped('');
    setError(undefined);
  };
  const ready =
    (props.ready ?? true) &&
    (props.reason !== 'required' || reason.trim() !== '') &&
    (props.typed === undefined || typed === props.typed);
  const confirm = async (event: Event) => {
    event.preventDefault();
    if (!ready || busy) return;
    setBusy(true);
    try {
      await props.onConfirm({ reason: reason.trim() });
      close();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (!open)
    return (
      <button
        type="button"
        ref={opener}
        class={props.danger ? 'danger' : undefined}
        disabled={props.disabled}
        onClick={() => (setOpen(true), props.onOpen?.())}
      >
        {props.label}
      </button>
    );
  return (
    <div
      class="confirm"
      role="alertdialog"
      aria-labelledby={`${id}-q`}
      ref={dialog}
      onKeyDown={(e) => e.key === 'Escape' && close()}
    >
      <form onSubmit={(e) => void confirm(e)}>
        <p id={`${id}-q`} class="question">
          {props.question}
        </p>
        {props.children}
        {props.reason && (
          <label>
            Reason{props.reason === 'optional' ? ' (optional)' : ''}
            <input
              value={reason}
              maxLength={500}
              required={props.reason === 'required'}
              onInput={(e) => setReason(e.currentTarget.value)}
            />
          </label>
        )}
        {props.typed !== undefined && (
          <label>
            Type <strong>{props.typed}</strong> to confirm
            <input value={typed} autoComplete="off" onInput={(e) => setTyped(e.currentTarget.value)} />
          </label>
        )}
        <ErrorBox error={error} />
        <div class="buttons">
          <button type="submit" class={props.danger ? 'danger' : undefined} disabled={!ready || busy}>
            {busy ? 'Working…' : props.yes}
          </button>
          <button type="button" class="secondary" onClick={close}>
            No, keep it
          </button>
        </div>
      </form>
    </div>
  );
}

/** What the last action did, announced to screen readers. */
export function Outcome({ text }: { text: string | undefined }) {
  return (
    <p class="outcome" role="status" aria-live="polite">
      {text ?? ''}
    </p>
  );
}

/** Calls `tick` every `ms` while `active`: pages refresh while work they started still runs. */
export function usePolling(active: boolean, tick: () => void, ms = 1_000): void {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    if (!active) return;
    const timer = window.setInterval(() => latest.current(), ms);
    return () => window.clearInterval(timer);
  }, [active, ms]);
}

/** True for `ms` after each `bump()`: how long a page keeps refreshing after an action started work. */
export function useWatchWindow(ms = 20_000): [boolean, () => void] {
  const [until, setUntil] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  usePolling(until > now, () => setNow(Date.now()), 1_000);
  return [until > now, () => (setUntil(Date.now() + ms), setNow(Date.now()))];
}

/** `datetime-local` text as an ISO instant, or undefined when empty. */
export const isoOf = (local: string): string | undefined => (local ? new Date(local).toISOString() : undefined);
