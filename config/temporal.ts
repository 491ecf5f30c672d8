import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import { ConfigError, type Env } from './env.ts';

/** How to reach the Temporal frontend; both the client's Connection and the worker's NativeConnection take these. */
export interface TemporalConnectionOptions {
  address: string;
  /** `true`: TLS with the system's trusted roots. */
  tls?: TLSConfig | true;
  apiKey?: string;
}

type ReadFile = (path: string) => Buffer;

/**
 * TLS and API-key settings from the environment, with the PEM files read now:
 * a path that cannot be read stops the process at start, naming its variable.
 * (A half mTLS pair is refused by loadEnv already.)
 */
export function temporalConnectionOptions(
  env: Env,
  address: string,
  readFile: ReadFile = readFileSync,
): TemporalConnectionOptions {
  const read = (name: 'TEMPORAL_TLS_CA' | 'TEMPORAL_TLS_CERT' | 'TEMPORAL_TLS_KEY'): Buffer | undefined => {
    const path = env[name];
    if (!path) return undefined;
    try {
      return readFile(path);
    } catch (err) {
      throw new ConfigError(
        `Invalid configuration:\n  ${name}=${JSON.stringify(path)}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      );
    }
  };
  const ca = read('TEMPORAL_TLS_CA');
  const crt = read('TEMPORAL_TLS_CERT');
  const key = read('TEMPORAL_TLS_KEY');
  const tls: TLSConfig = {
    ...(ca && { serverRootCACertificate: ca }),
    ...(crt && key && { clientCertPair: { crt, key } }),
    ...(env.TEMPORAL_TLS_SERVER_NAME && { serverNameOverride: env.TEMPORAL_TLS_SERVER_NAME }),
  };
  const useTls = env.TEMPORAL_TLS || Object.keys(tls).length > 0 || env.TEMPORAL_API_KEY !== undefined;
  return {
    address,
    ...(useTls && { tls: Object.keys(tls).length ? tls : true }),
    ...(env.TEMPORAL_API_KEY && { apiKey: env.TEMPORAL_API_KEY }),
  };
}

/** The local Web UI's origins (`capstan up`'s dev server). */
export const localUiOrigins = (env: Env): string[] => [
  `http://localhost:${env.TEMPORAL_UI_PORT}`,
  `http://127.0.0.1:${env.TEMPORAL_UI_PORT}`,
];

/** Browser origins the codec server answers: CAPSTAN_CODEC_CORS_ORIGINS, else the local Web UI's. */
export function codecCorsOrigins(env: Env): string[] {
  return env.CAPSTAN_CODEC_CORS_ORIGINS.length ? env.CAPSTAN_CODEC_CORS_ORIGINS : localUiOrigins(env);
}
