import { createHmac } from 'node:crypto';
import type { CleverClientOptions } from '../../config/clever.ts';
import { failure } from '../../config/failures.ts';
import OAuth from 'oauth-1.0a';
import { dependencyFailing, MiB, readCapped, redirectProblem } from '../http-answer.ts';

/** The longest list Capstan asks for (20 deployments, an app's env) is a few KiB: 4 MiB is far past any honest answer. */
const ANSWER_LIMIT = 4 * MiB;

export interface CleverApplication {
  id: string;
  name: string;
  state: string;
  commitId: string | null;
}

export interface CleverDeployment {
  id: number;
  uuid: string;
  date: number;
  state: 'WIP' | 'OK' | 'FAIL' | 'CANCELLED' | 'TASK_RUNNING';
  action: string;
  commit: string | null;
  cause: string | null;
}

/**
 * The Clever Cloud API client production uses (v2 application, instances,
 * deployments and env endpoints). Both ways of authenticating: OAuth 1.0a
 * (PLAINTEXT or HMAC-SHA512) on the API host, and API tokens (`Bearer`) on the
 * api-bridge host. The base URLs come from config, so the same code talks to
 * the sandbox.
 */
export class CleverClient {
  private readonly oauth: OAuth | undefined;
  private readonly baseUrl: string;

  constructor(private readonly options: CleverClientOptions) {
    const { auth } = options;
    this.baseUrl = auth.kind === 'token' ? options.bridgeUrl : options.apiUrl;
    if (auth.kind === 'oauth') {
      this.oauth = new OAuth({
        consumer: { key: auth.consumerKey, secret: auth.consumerSecret },
        signature_method: auth.signature,
        // PLAINTEXT sends the signing key itself; HMAC-SHA512 signs the base string with it.
        hash_function:
          auth.signature === 'PLAINTEXT'
            ? (_base, key) => key
            : (base, key) => createHmac('sha512', key).update(base).digest('base64'),
      });
    }
  }

  private appPath(ownerId: string, appId: string): string {
    const owner = ownerId === 'self' ? '/v2/self' : `/v2/organisations/${encodeURIComponent(ownerId)}`;
    return `${owner}/applications/${encodeURIComponent(appId)}`;
  }

  getApplication(ownerId: string, appId: string): Promise<CleverApplication> {
    return this.request('GET', this.appPath(ownerId, appId));
  }

  getEnv(ownerId: string, appId: string): Promise<Array<{ name: string; value: string }>> {
    return this.request('GET', `${this.appPath(ownerId, appId)}/env`);
  }

  setEnv(ownerId: string, appId: string, name: string, value: string): Promise<unknown> {
    return this.request('PUT', `${this.appPath(ownerId, appId)}/env/${encodeURIComponent(name)}`, { value });
  }

  deleteEnv(ownerId: string, appId: string, name: string): Promise<unknown> {
    return this.request('DELETE', `${this.appPath(ownerId, appId)}/env/${encodeURIComponent(name)}`);
  }

  /** Starts a new deployment each call: the caller must check for its own first. */
  redeploy(
    ownerId: string,
    appId: string,
    commit: string,
  ): Promise<{ id: number; message: string; type: string; deploymentId?: string }> {
    return this.request(
      'POST',
      `${this.appPath(ownerId, appId)}/instances?commit=${encodeURIComponent(commit)}&useCache=no`,
    );
  }

  listDeployments(ownerId: string, appId: string, limit = 10): Promise<CleverDeployment[]> {
    return this.request('GET', `${this.appPath(ownerId, appId)}/deployments?limit=${limit}`);
  }

  /** Undefined for a 404, which is normal right after a deployment is created. */
  async getDeployment(ownerId: string, appId: string, uuid: string): Promise<CleverDeployment | undefined> {
    try {
      return await this.request<CleverDeployment>(
        'GET',
        `${this.appPath(ownerId, appId)}/deployments/${encodeURIComponent(uuid)}`,
      );
    } catch (err) {
      if (err instanceof CleverApiError && err.status === 404) return undefined;
      throw err;
    }
  }

  cancelDeployment(ownerId: string, appId: string, deploymentId: string | number): Promise<unknown> {
    return this.request(
      'DELETE',
      `${this.appPath(ownerId, appId)}/deployments/${encodeURIComponent(String(deploymentId))}/instances`,
    );
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = `${this.baseUrl}${path}`;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    headers.Authorization = this.authorization(method, url);
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 8_000),
      });
    } catch (err) {
      throw new CleverApiError(0, `Clever Cloud API unreachable: ${(err as Error).message}`, method, path);
    }
    const redirected = redirectProblem(res, 'Clever Cloud');
    if (redirected) {
      await res.body?.cancel();
      throw new CleverApiError(res.status, redirected, method, path);
    }
    const text = await readCapped(res, ANSWER_LIMIT, `Clever Cloud's answer to ${method} ${path}`);
    const parsed = text ? safeJson(text) : undefined;
    if (!res.ok) {
      const message =
        (parsed as { message?: string; error?: string } | undefined)?.message ??
        (parsed as { error?: string } | undefined)?.error ??
        text.slice(0, 200);
      throw new CleverApiError(res.status, message || res.statusText, method, path);
    }
    return parsed as T;
  }

  private authorization(method: string, url: string): string {
    const { auth } = this.options;
    if (auth.kind === 'token') return `Bearer ${auth.token}`;
    const header = this.oauth!.toHeader(
      this.oauth!.authorize({ url, method }, { key: auth.token, secret: auth.secret }),
    );
    return header.Authorization;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** 429 and 5xx (and no answer) are worth retrying; every other 4xx, and a redirect, is final. */
export class CleverApiError extends Error {
  override name = 'CleverApiError';
  constructor(
    readonly status: number,
    message: string,
    readonly method: string,
    readonly path: string,
  ) {
    super(`${method} ${path}: ${status || 'no answer'} ${message}`);
  }

  get retryable(): boolean {
    return this.status === 0 || dependencyFailing(this.status);
  }

  /** For activities: a final error becomes a non-retryable failure carrying Clever Cloud's message. */
  toFailure(): Error {
    if (this.retryable) return this;
    return failure(
      this.status === 401 || this.status === 403 ? 'CleverUnauthorized' : 'CleverRequestRefused',
      this.message,
    );
  }
}
