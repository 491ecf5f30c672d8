/** The console's only way to the server: same-origin `/v1` calls with the signed-in token. */
const TOKEN_KEY = 'capstan.token';

export const session = {
  token: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  signIn: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  signOut: () => {
    sessionStorage.removeItem(TOKEN_KEY);
    void fetch('/codec/session', { method: 'DELETE' }).catch(() => {});
  },
};

/**
 * With a platform token, opens the codec session: the cookie the Temporal Web UI sends to `/codec` so it
 * decodes for this operator (a user token is refused; an installation without a codec server answers 404).
 */
export function openCodecSession(token: string): void {
  void fetch('/codec/session', { method: 'POST', headers: { authorization: `Bearer ${token}` } }).catch(() => {});
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface Page<T> {
  payload: T[];
  meta: { next_cursor: string | null };
}

/** A write sends its JSON body with a fresh Idempotency-Key: one submit, one run, even when the request is repeated. */
export async function api<T>(
  method: 'GET' | 'POST',
  path: string,
  token = session.token(),
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${token ?? ''}`, accept: 'application/json' };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['idempotency-key'] = crypto.randomUUID();
  }
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const answer = await res.json().catch(() => ({}));
  if (!res.ok)
    throw new ApiError(res.status, answer.detail ?? answer.title ?? `${method} ${path} answered ${res.status}`);
  return answer as T;
}

export function withQuery(path: string, query: Record<string, string | number | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== null && value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}
