import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ConfigError, type Env } from './env.ts';
import { generatePayloadKeys, keyringOf, type PayloadKeyring } from './payload-keys.ts';

export interface ResolvedKeyring {
  keyring: PayloadKeyring;
  /** Set when the keys came from (or were just written to) the local data directory. */
  localFile?: string;
}

/**
 * The keyring this process uses: CAPSTAN_PAYLOAD_KEYS when set; in production
 * nothing else will do; elsewhere the data directory's key file, made on first use,
 * so `capstan up`, `capstan worker` and `capstan deploy` on one machine agree.
 */
export async function resolvePayloadKeyring(env: Env): Promise<ResolvedKeyring> {
  if (env.CAPSTAN_PAYLOAD_KEYS) return { keyring: keyringOf(env.CAPSTAN_PAYLOAD_KEYS, env.CAPSTAN_PAYLOAD_KEY_ID) };
  if (env.NODE_ENV === 'production') {
    throw new ConfigError(
      'Invalid configuration: CAPSTAN_PAYLOAD_KEYS is required when NODE_ENV=production (<id>:<base64 32-byte key>; make one with: openssl rand -base64 32)',
    );
  }
  const file = resolve(join(env.CAPSTAN_DATA_DIR, 'payload-keys'));
  if (!existsSync(file)) {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${generatePayloadKeys()}\n`, { mode: 0o600, flag: 'wx' }).catch(
      (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err; // another local process made it first: use theirs
      },
    );
  }
  try {
    return { keyring: keyringOf(await readFile(file, 'utf8'), env.CAPSTAN_PAYLOAD_KEY_ID), localFile: file };
  } catch (err) {
    throw new ConfigError(`Invalid configuration: ${file}: ${(err as Error).message}`);
  }
}
