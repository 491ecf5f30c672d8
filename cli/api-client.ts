import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { apiTargetEnv, type ApiTargetEnv } from '../config/api-target-env.ts';

/** The API client for a command's action, from the four settings it needs (not the whole configuration). */
export async function apiClientOnUse() {
  return apiClient(apiTargetEnv());
}

/**
 * The CLI's way to the API, for commands whose logic lives there (licence
 * verification against the pinned keys, for one): CAPSTAN_API_URL or the local
 * stack's, with CAPSTAN_BOOTSTRAP_TOKEN or the local stack's platform token.
 */
export function apiClient(env: ApiTargetEnv) {
  const { base, token } = apiTarget(env);
  return async (method: string, path: string, body?: unknown): Promise<any> => {
    const res = await send(method, new URL(`${base}${path}`), token, body).catch((err: Error) => {
      throw new Error(`the API at ${base} is not reachable (${err.message}); is \`capstan up\` running?`);
    });
    let answer: any = {};
    try {
      answer = JSON.parse(res.text);
    } catch {
      // not JSON: the status says enough
    }
    if (res.status < 200 || res.status > 299)
      throw new Error(
        `${method} ${path}: ${res.status} ${answer.detail ?? answer.title ?? ''}${answer.code ? ` (${answer.code})` : ''}`,
      );
    return answer;
  };
}

/** One request with node:http(s): loading fetch (undici) cost a one-shot command more than its call. */
async function send(method: string, url: URL, token: string, body: unknown): Promise<{ status: number; text: string }> {
  const { request } = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** The API's address and the platform token to call it with. */
export function apiTarget(env: ApiTargetEnv): { base: string; token: string } {
  const base = env.CAPSTAN_API_URL ?? `http://127.0.0.1:${env.PORT}`;
  const tokenFile = join(resolve(env.CAPSTAN_DATA_DIR), 'platform-token');
  const token =
    env.CAPSTAN_BOOTSTRAP_TOKEN ?? (existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : undefined);
  if (!token)
    throw new Error(`no platform token: set CAPSTAN_BOOTSTRAP_TOKEN, or run \`capstan up\` so ${tokenFile} exists`);
  return { base, token };
}
