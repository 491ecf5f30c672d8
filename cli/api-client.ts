import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Env } from '../config/env.ts';

/** The API client for a command's action: the configuration (and its schema) loads on use, not when commands register. */
export async function apiClientOnUse() {
  const { loadEnv } = await import('../config/env.ts');
  return apiClient(loadEnv());
}

/**
 * The CLI's way to the API, for commands whose logic lives there (licence
 * verification against the pinned keys, for one): CAPSTAN_API_URL or the local
 * stack's, with CAPSTAN_BOOTSTRAP_TOKEN or the local stack's platform token.
 */
export function apiClient(env: Env) {
  const { base, token } = apiTarget(env);
  return async (method: string, path: string, body?: unknown): Promise<any> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).catch((err: Error) => {
      throw new Error(`the API at ${base} is not reachable (${err.message}); is \`capstan up\` running?`);
    });
    const answer = await res.json().catch(() => ({}));
    if (!res.ok)
      throw new Error(
        `${method} ${path}: ${res.status} ${answer.detail ?? answer.title ?? ''}${answer.code ? ` (${answer.code})` : ''}`,
      );
    return answer;
  };
}

/** The API's address and the platform token to call it with. */
export function apiTarget(env: Env): { base: string; token: string } {
  const base = env.CAPSTAN_API_URL ?? `http://127.0.0.1:${env.PORT}`;
  const tokenFile = join(resolve(env.CAPSTAN_DATA_DIR), 'platform-token');
  const token =
    env.CAPSTAN_BOOTSTRAP_TOKEN ?? (existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : undefined);
  if (!token)
    throw new Error(`no platform token: set CAPSTAN_BOOTSTRAP_TOKEN, or run \`capstan up\` so ${tokenFile} exists`);
  return { base, token };
}
