import { z } from 'zod';
import ipaddr from 'ipaddr.js';
import { DATA_DIR_DEFAULT, PORT_DEFAULT, TOKEN_MIN_LENGTH, TOKEN_TOO_SHORT } from './api-target-env.ts';
import { ConfigError } from './config-error.ts';
import { keyringOf } from './payload-keys.ts';

export { ConfigError };

const port = z.coerce.number().int().min(0).max(65535);
const optionalUrl = z.string().trim().min(1).optional();
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const list = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean),
  );
const isRange = (text: string) => (text.includes('/') ? ipaddr.isValidCIDR(text) : ipaddr.isValid(text));

/** Every setting Capstan reads from the environment, validated once at start. */
export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    /** Per-account caps: a tenant cannot make the platform fan out or store without bound. */
    MAX_WEBHOOKS_PER_ACCOUNT: z.coerce.number().int().min(1).max(10_000).default(20),
    MAX_INBOXES_PER_ACCOUNT: z.coerce.number().int().min(1).max(100_000).default(100),
    MAX_PENDING_INVITATIONS_PER_ACCOUNT: z.coerce.number().int().min(1).max(10_000).default(50),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    HOST: z.string().default('127.0.0.1'),
    PORT: port.default(PORT_DEFAULT),
    DATABASE_URL: optionalUrl,
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
    TEMPORAL_ADDRESS: optionalUrl,
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_UI_PORT: port.default(8233),
    TEMPORAL_WEB_UI_URL: optionalUrl.describe(
      'The Temporal Web UI operators use (`capstan api`): the console and deploy answers link workflows to it',
    ),
    TEMPORAL_CLI_PATH: z
      .string()
      .min(1)
      .optional()
      .describe('The Temporal CLI to run the local dev server with; else `temporal` on PATH, else a cached build'),
    /** TLS to the Temporal frontend: files in PEM; any of them (or TEMPORAL_TLS=true) turns TLS on. */
    TEMPORAL_TLS: flag.default(false),
    TEMPORAL_TLS_CA: z.string().min(1).optional(),
    TEMPORAL_TLS_CERT: z.string().min(1).optional(),
    TEMPORAL_TLS_KEY: z.string().min(1).optional(),
    TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
    /** A Temporal Cloud API key (sent as a bearer token, over TLS). */
    TEMPORAL_API_KEY: z.string().min(1).optional(),
    /** Payload encryption keys, `id:base64key,id2:base64key` (32-byte keys); see config/payload-keys.ts. */
    CAPSTAN_PAYLOAD_KEYS: z.string().optional(),
    /** The key new payloads are encrypted with; the first listed when unset. */
    CAPSTAN_PAYLOAD_KEY_ID: z.string().min(1).optional(),
    /** Browser origins the codec server answers (the Temporal Web UI); the local UI's when unset. */
    CAPSTAN_CODEC_CORS_ORIGINS: list,
    CAPSTAN_DATA_DIR: z.string().min(1).default(DATA_DIR_DEFAULT),
    EMBEDDED_POSTGRES_PORT: port.default(54329),
    TEMPORAL_PORT: port.default(7233),
    API_WORKFLOW_WAIT_MS: z.coerce.number().int().min(100).max(120_000).default(20_000),
    /** Requests per window: each token, and each client address (before its token is even looked up). */
    API_RATE_LIMIT_PER_TOKEN: z.coerce.number().int().min(1).default(600),
    API_RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().min(1).default(1200),
    API_RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
    API_BODY_LIMIT_BYTES: z.coerce.number().int().min(1_024).max(1_073_741_824).default(1_048_576),
    CAPSTAN_BOOTSTRAP_TOKEN: z.string().min(TOKEN_MIN_LENGTH, TOKEN_TOO_SHORT).optional(),
    CAPSTAN_PUBLIC_URL: z.string().url().optional(),
    CAPSTAN_API_URL: z
      .string()
      .url()
      .optional()
      .describe("The API the CLI talks to (default: the local stack's, on PORT)"),
    METRICS_PORT: port.optional(),
    /** The workers' /healthz and /readyz, on HOST. */
    WORKER_HEALTH_PORT: port.optional(),
    CLEVER_API_URL: z.string().url().default('https://api.clever-cloud.com'),
    CLEVER_API_BRIDGE_URL: z.string().url().default('https://api-bridge.clever-cloud.com'),
    /** An API token (Bearer, on the api-bridge URL); or the four OAuth 1.0a values below. */
    CLEVER_API_TOKEN: z.string().min(1).optional(),
    CLEVER_TOKEN: z.string().min(1).optional(),
    CLEVER_SECRET: z.string().min(1).optional(),
    CLEVER_CONSUMER_KEY: z.string().min(1).optional(),
    CLEVER_CONSUMER_SECRET: z.string().min(1).optional(),
    CLEVER_OAUTH_SIGNATURE: z.enum(['PLAINTEXT', 'HMAC-SHA512']).default('HMAC-SHA512'),
    CLEVER_OWNER_ID: z
      .string()
      .min(1)
      .optional()
      .describe('Organisation `capstan deploy` acts in when --owner is not given (default: self)'),
    CLEVER_SANDBOX_PORT: port.default(8095),
    LICENCE_PUBLIC_KEYS: z.string().optional(),
    LICENCE_ISSUER: z.string().trim().min(1).optional(),
    LICENSING_SERVER_URL: z
      .string()
      .url()
      .optional()
      .describe(
        "The vendor's licensing server (default in config/licence.ts); unset, `capstan up` runs a local sandbox",
      ),
    LICENCE_HEARTBEAT_INTERVAL_MS: z.coerce.number().int().min(1_000).default(3_600_000),
    LICENCE_ALLOW_SEAT_OVERAGE: z
      .enum(['true', 'false', '1', '0'])
      .default('false')
      .transform((v) => v === 'true' || v === '1'),
    LICENSING_SANDBOX_PORT: port.default(8096),
    SMTP_URL: z
      .string()
      .url()
      .optional()
      .describe(
        'Where the core worker sends invitation mail (smtp:// or smtps://, credentials in the URL); required in production; unset, `capstan up` runs a local mail sandbox',
      ),
    MAIL_FROM: z.string().trim().min(3).default('Capstan <no-reply@capstan.localhost>'),
    MAIL_SANDBOX_PORT: port.default(8097),
    /** Dead letters older than this (by last failure) are deleted by the `dead-letter-retention` schedule. */
    DEAD_LETTER_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    /** Finished webhook deliveries (and attempts) older than this go (`webhook-delivery-retention`). */
    WEBHOOK_DELIVERY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    /** Audit rows older than this go (`audit-log-retention`); unset keeps every row. */
    AUDIT_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).optional(),
    /** Licence heartbeat records older than this go (`licence-heartbeat-retention`). */
    LICENCE_HEARTBEAT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
    /** `false` turns every circuit breaker off (calls always go out): for comparison runs, never for production. */
    BREAKERS_ENABLED: flag.default(true),
    /** Overrides of every breaker's thresholds in config/catalogue.ts (tests, benchmarks). */
    BREAKER_FAILURE_THRESHOLD: z.coerce.number().int().min(1).optional(),
    BREAKER_WINDOW_MS: z.coerce.number().int().min(100).optional(),
    BREAKER_OPEN_MS: z.coerce.number().int().min(100).optional(),
    BREAKER_TRIAL_LEASE_MS: z.coerce.number().int().min(100).optional(),

    /** Front-end assets: where fingerprinted files are published (fs: ASSETS_DIR; s3: the bucket below). */
    ASSETS_ORIGIN: z.enum(['fs', 's3']).default('fs'),
    ASSETS_DIR: z.string().min(1).optional().describe('The filesystem origin (default <CAPSTAN_DATA_DIR>/assets)'),
    ASSETS_STAGING_DIR: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Where builds are bundled before upload, one directory per source hash (default <CAPSTAN_DATA_DIR>/asset-staging)',
      ),
    ASSETS_S3_BUCKET: z.string().min(1).optional(),
    ASSETS_S3_ENDPOINT: z.string().url().optional().describe('An S3-compatible endpoint (default: AWS)'),
    ASSETS_S3_REGION: z.string().min(1).default('us-east-1'),
    ASSETS_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    ASSETS_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    ASSETS_S3_PREFIX: z.string().default('').describe('Key prefix inside the bucket'),
    /** The public prefix written into the console's HTML shell, as Chatwoot's ASSET_CDN_HOST. */
    ASSET_CDN_HOST: z.string().url().optional(),
    ASSETS_KEEP_PREVIOUS: z.coerce.number().int().min(0).max(100).default(2),
    ASSETS_KEEP_YOUNGER_THAN_MS: z.coerce.number().int().min(0).default(3_600_000),
    /**
     * Staging directories untouched this long are swept by the assets GC. At least two hours: a build runs an hour
     * at most and touches its directory in every phase, so a younger one may belong to a running build.
     */
    ASSETS_STAGING_RETENTION_MS: z.coerce
      .number()
      .int()
      .min(2 * 3_600_000)
      .default(24 * 3_600_000),
    ASSETS_GC_INTERVAL_MS: z.coerce
      .number()
      .int()
      .min(60_000)
      .default(6 * 3_600_000),
    ASSETS_CONSOLE_ENTRY: z.string().min(1).default('web/src/main.tsx'),
    ASSETS_SOURCE_ROOT: z.string().min(1).optional().describe('The project the console is built from (default: cwd)'),
    /** Tests only: the switch activity waits this long first, so a test can kill its worker between upload and switch. */
    ASSETS_TEST_PAUSE_BEFORE_SWITCH_MS: z.coerce.number().int().min(0).optional(),
    DEPLOY_POLL_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(5_000),
    WEBHOOK_ATTEMPT_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
    WEBHOOK_RETRY_INITIAL_MS: z.coerce.number().int().min(10).default(30_000),
    WEBHOOK_RETRY_MAX_INTERVAL_MS: z.coerce.number().int().min(10).default(3_600_000),
    WEBHOOK_RETRY_DEADLINE_MS: z.coerce
      .number()
      .int()
      .min(1000)
      .default(24 * 3_600_000),
    WEBHOOK_ALLOWED_RANGES: z
      .string()
      .transform((s) =>
        s
          .split(',')
          .map((r) => r.trim())
          .filter(Boolean),
      )
      .optional()
      .describe(
        'Address ranges webhooks may target besides the public internet: `loopback`, `private`, `linkLocal`, … (unset: none; `capstan up`: loopback)',
      ),
    CAPSTAN_TEST_TARGET: z
      .enum(['dev', 'cluster'])
      .default('dev')
      .describe(
        'The Temporal the tests run against: the dev server, or the real server on PostgreSQL (`capstan cluster`)',
      ),
    DEBUG: z
      .string()
      .optional()
      .transform((v) => v !== undefined && v !== '0' && v !== 'false')
      .describe('Any value but 0 or false: the CLI shows the stack trace of a failure'),
    USER: z.string().min(1).optional().describe('The operator, recorded on deploys started from the CLI'),
    PATH: z.string().default('').describe('Where the CLI looks for `temporal` and `go`'),
    XDG_CACHE_HOME: z
      .string()
      .min(1)
      .optional()
      .describe('Cache root for the built Temporal dev server (default ~/.cache)'),
    DATABASE_OWNER_URL: optionalUrl.describe(
      "The schema owner `capstan migrate` connects as; it then lets DATABASE_URL's role (capstan_app) sign in with DATABASE_URL's password",
    ),
    API_METRICS_PORT: port
      .optional()
      .describe(
        "The API's Prometheus /metrics, on HOST: a port of its own, never published with the API (unset: not served)",
      ),
    TRUSTED_PROXIES: list
      .refine((ranges) => ranges.every(isRange), 'must be IP addresses or CIDRs, comma-separated')
      .describe(
        'Proxies in front of the API (CIDRs): from these peers the client is the right-most untrusted X-Forwarded-For hop',
      ),
  })
  .superRefine(checkTemporalAccess);

export type Env = z.infer<typeof envSchema>;

/** Settings that are only valid together: an mTLS pair, payload keys and the current key's id. */
function checkTemporalAccess(
  env: {
    TEMPORAL_TLS_CERT?: string;
    TEMPORAL_TLS_KEY?: string;
    CAPSTAN_PAYLOAD_KEYS?: string;
    CAPSTAN_PAYLOAD_KEY_ID?: string;
  },
  ctx: z.RefinementCtx,
): void {
  if (Boolean(env.TEMPORAL_TLS_CERT) !== Boolean(env.TEMPORAL_TLS_KEY)) {
    const missing = env.TEMPORAL_TLS_CERT ? 'TEMPORAL_TLS_KEY' : 'TEMPORAL_TLS_CERT';
    ctx.addIssue({
      code: 'custom',
      path: [missing],
      message: 'TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY make one mTLS pair: set both or neither',
    });
  }
  if (env.CAPSTAN_PAYLOAD_KEYS !== undefined) {
    try {
      keyringOf(env.CAPSTAN_PAYLOAD_KEYS, env.CAPSTAN_PAYLOAD_KEY_ID);
    } catch (err) {
      ctx.addIssue({ code: 'custom', path: ['CAPSTAN_PAYLOAD_KEYS'], message: (err as Error).message });
    }
  }
}

/** Parses the environment; the message names every bad variable and why. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ''));
  const result = envSchema.safeParse(cleaned);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = issue.path.join('.');
    // Secrets are named, never echoed: this message goes to stderr and log collectors.
    const shown = /TOKEN|SECRET|KEY|PASSWORD|DATABASE_(OWNER_)?URL/.test(name)
      ? '(value hidden)'
      : JSON.stringify(source[name] ?? '');
    return `  ${name}=${shown}: ${issue.message}`;
  });
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}
