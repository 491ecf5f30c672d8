import { describe, expect, it } from 'vitest';
import { createLogger } from '../../config/logger.ts';
import { isSecretKey, redactSecrets } from '../../config/redact.ts';

function capture() {
  const lines: string[] = [];
  return {
    lines,
    logger: createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(line) } }),
  };
}

describe('log redaction', () => {
  it('knows secret-bearing names in any case or separator, and leaves look-alikes alone', () => {
    const secret = [
      'secret',
      'key',
      'apiKey',
      'clientSecret',
      'authorization',
      'Authorization',
      'cookie',
      'set-cookie',
      'password',
      'token',
      'accessToken',
      'api_access_token',
      'x-api-key',
      'licenceKey',
      'privateKey',
      'CLEVER_CONSUMER_SECRET',
      'DATABASE_URL',
      'oauth_signature',
      'refresh_token',
      'credentials',
      'SECRET_KEY_BASE',
      'SESSION_KEY',
      'SENTRY_DSN',
      'REDIS_URL',
      'proof',
      'actorProof',
    ];
    const kept = [
      'idempotencyKey',
      'attemptKey',
      'runKey',
      'publicKey',
      'kid',
      'tokenId',
      'tokenStored',
      'prefix',
      'webhookId',
      'url',
      'status',
      'keys',
      'NODE_ENV',
      'env',
      'redisUrl',
    ];
    expect(secret.filter((k) => !isSecretKey(k))).toEqual([]);
    expect(kept.filter((k) => isSecretKey(k))).toEqual([]);
  });

  it('censors at any depth, in arrays too, and copies nothing when nothing is secret', () => {
    const plain = { accountId: 1, nested: { list: [1, { status: 'ok' }] }, at: new Date(0) };
    expect(redactSecrets(plain)).toBe(plain);
    const input = { a: { b: { c: { d: { clientSecret: 'x' } } } }, list: [{ token: 'y' }, 'z'], keep: 'k' };
    expect(redactSecrets(input)).toEqual({
      a: { b: { c: { d: { clientSecret: '[redacted]' } } } },
      list: [{ token: '[redacted]' }, 'z'],
      keep: 'k',
    });
    expect(input.a.b.c.d.clientSecret).toBe('x'); // the caller's object is untouched
  });

  it('keeps the names of an environment map and censors its values, and any connection string password', () => {
    const input = {
      deploy: { env: { MODE: 'stable', SECRET_KEY_BASE: 'k1', GONE: null }, envBefore: { MODE: 'k2' } },
      NODE_ENV: 'production',
      actor: { type: 'User', id: '1', proof: 'k3' },
      notes: ['redis://:k4@cache:6379/0', 'postgres://capstan:k5@db/capstan?ssl=true', 'https://host:8080/a@b'],
    };
    expect(redactSecrets(input)).toEqual({
      deploy: {
        env: { MODE: '[redacted]', SECRET_KEY_BASE: '[redacted]', GONE: null },
        envBefore: { MODE: '[redacted]' },
      },
      NODE_ENV: 'production',
      actor: { type: 'User', id: '1', proof: '[redacted]' },
      notes: [
        'redis://:[redacted]@cache:6379/0',
        'postgres://capstan:[redacted]@db/capstan?ssl=true',
        'https://host:8080/a@b',
      ],
    });
  });

  it('cuts cycles and serializes errors, censoring their properties and causes', () => {
    const cyclic: Record<string, unknown> = { password: 'p' };
    cyclic.self = cyclic;
    expect(redactSecrets(cyclic)).toEqual({ password: '[redacted]', self: '[Circular]' });
    const cause = Object.assign(new Error('inner'), { apiKey: 'k1' });
    const err = Object.assign(new Error('outer', { cause }), { request: { headers: { authorization: 'Bearer k2' } } });
    const out = JSON.stringify(redactSecrets({ error: err }));
    expect(out).toContain('"message":"outer');
    expect(out).not.toMatch(/k1|k2/);
  });

  it('writes lines without the secrets of objects, children and errors, keeping req.headers.authorization censored', () => {
    const { lines, logger } = capture();
    logger.info(
      {
        a: { b: { clientSecret: 's1' } },
        req: { headers: { authorization: 'Bearer s2', api_access_token: 's3' } },
        idempotencyKey: 'visible',
      },
      'request',
    );
    logger
      .child({ component: 'c', clever: { auth: { kind: 'token', token: 's4' } } })
      .child({ secret: 's5' })
      .info({ key: 's6' }, 'child');
    logger.error(Object.assign(new Error('boom'), { cookie: 's7' }));
    const text = lines.join('');
    expect(text).not.toMatch(/s[1-7]"/);
    expect(text).toContain('"idempotencyKey":"visible"');
    expect(JSON.parse(lines[2]!)).toMatchObject({
      msg: 'boom',
      err: { type: 'Error', message: 'boom', cookie: '[redacted]' },
    });
    expect(JSON.parse(lines[0]!)).toMatchObject({
      req: { headers: { authorization: '[redacted]', api_access_token: '[redacted]' } },
    });
  });
});
