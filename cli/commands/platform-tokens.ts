import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { apiTargetEnv } from '../../config/api-target-env.ts';
import { apiClient } from '../api-client.ts';

export interface PlatformTokenOptions {
  app?: string;
  name?: string;
  expires?: string;
  scopes?: string;
  grace?: string;
}

interface TokenView {
  id: number;
  app: string;
  name: string;
  prefix: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  scopes: string[];
  token?: string;
}

/**
 * `capstan platform-tokens list | create --app --name | rotate <id> [--grace] | revoke <id>`,
 * through the API with the platform token the CLI holds. Rotating the local
 * stack's own token writes the new one to its token file, so the CLI keeps working.
 */
export async function platformTokensCommand(
  action: string,
  id: string | undefined,
  options: PlatformTokenOptions,
): Promise<void> {
  const env = apiTargetEnv();
  const api = apiClient(env);
  const tokenId = () => {
    if (!id || !/^\d+$/.test(id)) throw new Error(`usage: capstan platform-tokens ${action} <token id>`);
    return id;
  };
  switch (action) {
    case 'list':
      return table((await api('GET', '/v1/platform/tokens')).payload);
    case 'create': {
      if (!options.app || !options.name)
        throw new Error(
          'usage: capstan platform-tokens create --app <app> --name <name> [--expires <ISO date>] [--scopes <a,b>]',
        );
      return shown(
        await api('POST', '/v1/platform/tokens', {
          app: options.app,
          name: options.name,
          ...(options.expires && { expires_at: options.expires }),
          ...(options.scopes && { scopes: options.scopes.split(',').map((scope) => scope.trim()) }),
        }),
      );
    }
    case 'rotate': {
      const before: TokenView[] = (await api('GET', '/v1/platform/tokens')).payload;
      const old = before.find((t) => String(t.id) === tokenId());
      const made: TokenView = await api('POST', `/v1/platform/tokens/${tokenId()}/rotate`, {
        grace_seconds: Number(options.grace ?? 0),
      });
      const file = join(resolve(env.CAPSTAN_DATA_DIR), 'platform-token');
      if (
        old &&
        !env.CAPSTAN_BOOTSTRAP_TOKEN &&
        existsSync(file) &&
        readFileSync(file, 'utf8').trim().startsWith(old.prefix)
      ) {
        writeFileSync(file, `${made.token}\n`, { mode: 0o600 });
        console.error(`the local stack's token was rotated: ${file} now holds the new one`);
      }
      return shown(made);
    }
    case 'revoke':
      return table([await api('DELETE', `/v1/platform/tokens/${tokenId()}`)]);
    default:
      throw new Error(`unknown action ${action}: list | create | rotate <id> | revoke <id>`);
  }
}

function shown(t: TokenView): void {
  table([t]);
  console.log(`\ntoken (shown once): ${t.token}`);
}

function table(rows: TokenView[]): void {
  const state = (t: TokenView) =>
    t.revoked_at ? `revoked ${t.revoked_at}` : t.expires_at ? `expires ${t.expires_at}` : 'active';
  console.log(
    ['id'.padEnd(6), 'app'.padEnd(24), 'name'.padEnd(16), 'prefix'.padEnd(14), 'state'.padEnd(36), 'scopes'].join(' '),
  );
  for (const t of rows)
    console.log(
      [
        String(t.id).padEnd(6),
        t.app.padEnd(24),
        t.name.padEnd(16),
        t.prefix.padEnd(14),
        state(t).padEnd(36),
        t.scopes.join(','),
      ].join(' '),
    );
}
