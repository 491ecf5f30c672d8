import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadEnv } from '../../config/env.ts';
import { generatePayloadKeys } from '../../config/payload-keys.ts';
import { resolvePayloadKeyring } from '../../config/payload-keyring.ts';
import { codecCorsOrigins, temporalConnectionOptions } from '../../config/temporal.ts';

const files: Record<string, Buffer> = {
  '/pki/ca.pem': Buffer.from('CA'),
  '/pki/client.pem': Buffer.from('CRT'),
  '/pki/client.key': Buffer.from('KEY'),
};
const readFake = (path: string) => {
  const found = files[path];
  if (!found) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
  return found;
};
const optionsOf = (vars: Record<string, string>) =>
  temporalConnectionOptions(loadEnv(vars), 'temporal.internal:7233', readFake);

describe('Temporal connection options', () => {
  it('connect in plain text when nothing asks for TLS', () => {
    expect(optionsOf({})).toEqual({ address: 'temporal.internal:7233' });
  });

  it('carry the server CA, the mTLS pair and the server name, read from their files', () => {
    expect(
      optionsOf({
        TEMPORAL_TLS_CA: '/pki/ca.pem',
        TEMPORAL_TLS_CERT: '/pki/client.pem',
        TEMPORAL_TLS_KEY: '/pki/client.key',
        TEMPORAL_TLS_SERVER_NAME: 'temporal.example',
      }),
    ).toEqual({
      address: 'temporal.internal:7233',
      tls: {
        serverRootCACertificate: Buffer.from('CA'),
        clientCertPair: { crt: Buffer.from('CRT'), key: Buffer.from('KEY') },
        serverNameOverride: 'temporal.example',
      },
    });
  });

  it('use TLS with the system roots for an API key (Temporal Cloud) or TEMPORAL_TLS=true', () => {
    expect(optionsOf({ TEMPORAL_API_KEY: 'cloud-key' })).toEqual({
      address: 'temporal.internal:7233',
      tls: true,
      apiKey: 'cloud-key',
    });
    expect(optionsOf({ TEMPORAL_TLS: 'true' })).toEqual({ address: 'temporal.internal:7233', tls: true });
  });

  it('refuse half an mTLS pair, naming both variables', () => {
    expect(() => loadEnv({ TEMPORAL_TLS_CERT: '/pki/client.pem' })).toThrow(
      /TEMPORAL_TLS_KEY=\(value hidden\): TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY make one mTLS pair/,
    );
    expect(() => loadEnv({ TEMPORAL_TLS_KEY: '/pki/client.key' })).toThrow(
      /TEMPORAL_TLS_CERT="": TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY/,
    );
  });

  it('stop at start when a file cannot be read, naming the variable', () => {
    expect(() => optionsOf({ TEMPORAL_TLS_CA: '/pki/missing.pem' })).toThrow(ConfigError);
    expect(() => optionsOf({ TEMPORAL_TLS_CA: '/pki/missing.pem' })).toThrow(
      /TEMPORAL_TLS_CA="\/pki\/missing.pem": cannot be read \(ENOENT\)/,
    );
  });
});

describe('payload keys at start', () => {
  it('are required in production, in one line that names the variable', async () => {
    const attempt = resolvePayloadKeyring(loadEnv({ NODE_ENV: 'production' }));
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(attempt).rejects.toThrow(
      /^Invalid configuration: CAPSTAN_PAYLOAD_KEYS is required when NODE_ENV=production[^\n]*$/,
    );
  });

  it('are refused at load when malformed, without echoing the value', () => {
    expect(() => loadEnv({ CAPSTAN_PAYLOAD_KEYS: 'k1:c2hvcnQ=' })).toThrow(
      /CAPSTAN_PAYLOAD_KEYS=\(value hidden\): key "k1" must be 32 bytes/,
    );
    expect(() => loadEnv({ CAPSTAN_PAYLOAD_KEYS: generatePayloadKeys('k1'), CAPSTAN_PAYLOAD_KEY_ID: 'k9' })).toThrow(
      /current key "k9" is not among the keys/,
    );
  });

  it('outside production, are made once in the data directory (owner-only) and reused', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'capstan-keys-'));
    const first = await resolvePayloadKeyring(loadEnv({ CAPSTAN_DATA_DIR: dir }));
    const second = await resolvePayloadKeyring(loadEnv({ CAPSTAN_DATA_DIR: dir }));
    expect(first.localFile).toBe(join(dir, 'payload-keys'));
    expect(second.keyring.keys.get(second.keyring.currentId)).toEqual(first.keyring.keys.get(first.keyring.currentId));
    expect((await stat(first.localFile!)).mode & 0o077).toBe(0);
    expect(await readFile(first.localFile!, 'utf8')).toMatch(/^local-[\d-]+:[A-Za-z0-9+/]{43}=\n$/);
  });
});

describe('codec server origins', () => {
  it('default to the local Web UI, on its port', () => {
    expect(codecCorsOrigins(loadEnv({ TEMPORAL_UI_PORT: '9233' }))).toEqual([
      'http://localhost:9233',
      'http://127.0.0.1:9233',
    ]);
    expect(codecCorsOrigins(loadEnv({ CAPSTAN_CODEC_CORS_ORIGINS: 'https://temporal.example.com' }))).toEqual([
      'https://temporal.example.com',
    ]);
  });
});
