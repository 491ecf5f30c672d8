import { stdSerializers } from 'pino';

export const CENSOR = '[redacted]';

/** Names (lower case, without `_`, `-` or `.`) that hold a secret whatever their prefix: `clientSecret`, `api_access_token`, `x-api-key`. */
const SECRET_SUFFIXES = [
  'secret',
  'password',
  'passwd',
  'passphrase',
  'token',
  'apikey',
  'privatekey',
  'secretkey',
  'accesskey',
  'signingkey',
  'licencekey',
  'licensekey',
  'authorization',
  'cookie',
  'credentials',
  'signature',
  'databaseurl',
];
/** Names that hold a secret only on their own: `key` is, `idempotencyKey` and `attemptKey` are not. */
const SECRET_NAMES = new Set(['key', 'pwd', 'bearer', 'jwt', 'dsn', 'credential']);

const verdicts = new Map<string, boolean>();

/** Whether a property of this name is censored in logs; remembered, since the same few names recur. */
export function isSecretKey(name: string): boolean {
  let secret = verdicts.get(name);
  if (secret === undefined) {
    const plain = name.toLowerCase().replace(/[^a-z0-9]/g, '');
    secret = SECRET_NAMES.has(plain) || SECRET_SUFFIXES.some((suffix) => plain.endsWith(suffix));
    if (verdicts.size < 10_000) verdicts.set(name, secret);
  }
  return secret;
}

/**
 * The value with every secret-named property censored, at any depth. Nothing
 * is copied unless something is censored, so the usual log object costs one
 * walk and no allocation. Errors are serialized first (pino's own serializer),
 * so their enumerable properties and causes are walked too, wherever they sit.
 */
export function redactSecrets<T>(value: T, ancestors: object[] = []): T {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return redactSecrets(stdSerializers.err(value) as T, ancestors);
  // Dates, Buffers and the like print through toJSON.
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
  // A cycle is cut here, as pino would print it: the original it points to may hold what a copy censors.
  if (ancestors.includes(value)) return '[Circular]' as T;
  ancestors.push(value);
  let copy: Record<string, unknown> | undefined;
  const record = value as Record<string, unknown>;
  for (const name in record) {
    if (!Object.hasOwn(record, name)) continue;
    const item = record[name];
    const next = item != null && !Array.isArray(record) && isSecretKey(name) ? CENSOR : redactSecrets(item, ancestors);
    if (next !== item)
      (copy ??= (Array.isArray(record) ? [...record] : { ...record }) as Record<string, unknown>)[name] = next;
  }
  ancestors.pop();
  return (copy ?? value) as T;
}
