import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api.ts';
import type { Settings } from '../workflows.ts';

/** The token is checked against the API before it is kept (sessionStorage: gone when the tab closes). */
export function SignIn({ onSignedIn }: { onSignedIn: (token: string, settings: Settings) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    document.title = 'Sign in · Capstan console';
    input.current?.focus();
  }, []);

  async function submit(event: Event) {
    event.preventDefault();
    const candidate = token.trim();
    if (!candidate) return setError('Paste a platform token or an account access token.');
    setBusy(true);
    try {
      onSignedIn(candidate, await api<Settings>('GET', '/v1/console/settings', candidate));
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'This token is not accepted.' : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="signin" aria-labelledby="signin-title">
      <h1 id="signin-title">Sign in to Capstan</h1>
      <form onSubmit={(e) => void submit(e)}>
        <label for="token">Access token</label>
        <input
          id="token"
          ref={input}
          type="password"
          autoComplete="off"
          value={token}
          onInput={(e) => setToken(e.currentTarget.value)}
          onKeyDown={(e) => e.key === 'Escape' && setToken('')}
          aria-describedby="token-help"
          aria-invalid={error ? true : undefined}
        />
        <p id="token-help" class="muted">
          The platform token `capstan up` prints, or an account access token. Escape clears the field.
        </p>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </section>
  );
}
