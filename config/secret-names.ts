/** What a property's name says about its value: a secret, an environment map (every value a secret), or neither. */
export type NameVerdict = 'secret' | 'env' | 'plain';

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
/** Words that make a name secret wherever they stand in it: `SECRET_KEY_BASE`, `SENTRY_DSN`, an actor's `proof`. */
const SECRET_WORDS = new Set([
  'secret',
  'password',
  'passwd',
  'passphrase',
  'credential',
  'credentials',
  'dsn',
  'proof',
]);
/**
 * The last word of an environment-style name (`SESSION_KEY`, `REDIS_URL`) that makes it secret: configuration
 * written that way holds keys and connection strings with their passwords. `idempotencyKey` is no such name.
 */
const ENV_SECRET_LAST_WORDS = new Set(['key', 'url', 'uri', 'dsn', 'salt', 'token', 'pass', 'auth']);
/** Words naming a map of environment variables, whose names may show and whose values may not. */
const ENV_WORDS = new Set(['env', 'environment']);

const verdicts = new Map<string, NameVerdict>();

/** The verdict on a property name; remembered, since the same few names recur. */
export function verdictOn(name: string): NameVerdict {
  let verdict = verdicts.get(name);
  if (verdict === undefined) {
    verdict = judge(name);
    if (verdicts.size < 10_000) verdicts.set(name, verdict);
  }
  return verdict;
}

function judge(name: string): NameVerdict {
  const plain = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (SECRET_NAMES.has(plain) || SECRET_SUFFIXES.some((suffix) => plain.endsWith(suffix))) return 'secret';
  const words = wordsOf(name);
  if (words.some((word) => SECRET_WORDS.has(word))) return 'secret';
  if (isEnvStyle(name) && ENV_SECRET_LAST_WORDS.has(words.at(-1) ?? '')) return 'secret';
  return words.some((word) => ENV_WORDS.has(word)) ? 'env' : 'plain';
}

/** `SECRET_KEY_BASE` → secret, key, base; `actorProof` → actor, proof; `x-api-key` → x, api, key. */
function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Upper case with underscores, as environment variables are named: `REDIS_URL`, not `redisUrl` or `url`. */
function isEnvStyle(name: string): boolean {
  return /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/.test(name);
}
