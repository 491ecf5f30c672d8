import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { ErrorBox } from '../components.tsx';

/** The signed-in user's reply, or a private note for the account's agents; `onSent` reloads the list. */
export function ReplyForm({ path, onSent }: { path: string; onSent: () => void }) {
  const [content, setContent] = useState('');
  const [note, setNote] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  async function submit(event: Event) {
    event.preventDefault();
    if (!content.trim()) return setError('Write a reply first.');
    setBusy(true);
    try {
      await api('POST', path, undefined, { content, private: note });
      setContent('');
      setNote(false);
      setError(undefined);
      onSent();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="reply" aria-label="Write a reply" onSubmit={(e) => void submit(e)}>
      <label for="reply-content">Reply</label>
      <textarea
        id="reply-content"
        rows={3}
        value={content}
        onInput={(e) => setContent((e.target as HTMLTextAreaElement).value)}
      />
      <label class="check">
        <input type="checkbox" checked={note} onChange={(e) => setNote((e.target as HTMLInputElement).checked)} />
        Private note (only the account's agents see it)
      </label>
      <ErrorBox error={error} />
      <button type="submit" disabled={busy}>
        {note ? 'Add note' : 'Send reply'}
      </button>
    </form>
  );
}
