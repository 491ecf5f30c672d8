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

/**
 * A write: JSON body and a fresh Idempotency-Key, so a double click or a retried request starts one workflow.
 * The API runs it as its audited workflow and answers once it is done (or 202 while it still runs).
 */
export async function send<T>(method: 'POST' | 'PATCH', path: string, body: unknown = {}): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: {
      authorization: `Bearer ${session.token() ?? ''}`,
      accept: 'application/json',
      'content-type': 'application/json',
      'idempotency-key': freshKey(),
    },
    body: JSON.stringify(body),
  });
  const answer = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, problemText(answer, `${method} ${path} answered ${res.status}`));
  return answer as T;
}

/** 128 random bits; `crypto.randomUUID` exists only in secure contexts, a console served over plain HTTP is not one. */
function freshKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A problem body as one sentence: its detail, then each field error. */
function problemText(
  body: { detail?: string; title?: string; errors?: { field: string; message: string }[] },
  fallback: string,
) {
  const head = body.detail ?? body.title ?? fallback;
  const fields = (body.errors ?? []).map((e) => `${e.field}: ${e.message}`);
  return fields.length ? `${head} (${fields.join('; ')})` : head;
}

export function withQuery(path: string, query: Record<string, string | number | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== null && value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}
