import { stdSerializers } from 'pino';
import { verdictOn } from './secret-names.ts';

export const CENSOR = '[redacted]';

/** Whether a property of this name is censored in logs and dead letters (config/secret-names.ts says which). */
export function isSecretKey(name: string): boolean {
  return verdictOn(name) === 'secret';
}

/** `scheme://user:password@` — the password part of a connection string, whatever property holds it. */
const URL_PASSWORD = /^([a-z][\w+.-]*:\/\/[^\s/?#@:]*):[^\s/?#@]+@/i;

/**
 * The value with every secret censored, at any depth: secret-named properties,
 * every value of an environment map (`env`, `envBefore`: names stay, values go),
 * and the password of any connection string. The one rule for logs and dead
 * letters. Nothing is copied unless something is censored, so the usual log
 * object costs one walk and no allocation. Errors are serialized first (pino's
 * own serializer), so their enumerable properties and causes are walked too.
 */
export function redactSecrets<T>(value: T, ancestors: object[] = []): T {
  if (typeof value === 'string') return censorUrlPassword(value) as T;
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return redactSecrets(stdSerializers.err(value) as T, ancestors);
  // Dates, Buffers and the like print through toJSON.
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
  // A cycle is cut here, as pino would print it: the original it points to may hold what a copy censors.
  if (ancestors.includes(value)) return '[Circular]' as T;
  ancestors.push(value);
  let copy: Record<string, unknown> | undefined;
  const record = value as Record<string, unknown>;
  const list = Array.isArray(record);
  for (const name in record) {
    if (!Object.hasOwn(record, name)) continue;
    const item = record[name];
    const verdict = list || item == null ? 'plain' : verdictOn(name);
    const next =
      verdict === 'secret'
        ? CENSOR
        : verdict === 'env' && typeof item === 'object'
          ? censorValues(item as Record<string, unknown>)
          : redactSecrets(item, ancestors);
    if (next !== item) (copy ??= (list ? [...record] : { ...record }) as Record<string, unknown>)[name] = next;
  }
  ancestors.pop();
  return (copy ?? value) as T;
}

/** An environment map as names only: each set value censored, an unset one (null) left to say so. */
function censorValues(map: Record<string, unknown>): Record<string, unknown> {
  if (Array.isArray(map)) return map.map(() => CENSOR) as never;
  return Object.fromEntries(Object.entries(map).map(([name, v]) => [name, v == null ? v : CENSOR]));
}

function censorUrlPassword(text: string): string {
  return text.includes('@') && text.includes('://') ? text.replace(URL_PASSWORD, `$1:${CENSOR}@`) : text;
}
