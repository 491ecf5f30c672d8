import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { generatePayloadKeys, keyringOf, parsePayloadKeys } from '../../config/payload-keys.ts';
import { EncryptionCodec, PayloadDecryptionError } from '../../workers/codec.ts';

const oldKey = generatePayloadKeys('2025-01');
const newKey = generatePayloadKeys('2026-01');
const secret = { email: 'ana@example.test', note: 'S3CR3T-codec' };
const toPayload = (value: unknown) => defaultPayloadConverter.toPayload(value)!;
const text = (p: Payload) =>
  `${JSON.stringify(p.metadata ? Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v).toString()])) : {})}${Buffer.from(p.data ?? []).toString('latin1')}`;

describe('EncryptionCodec', () => {
  it('seals a payload under the current key with a fresh IV, and opens it again', async () => {
    const codec = new EncryptionCodec(keyringOf(newKey));
    const [a] = await codec.encode([toPayload(secret)]);
    const [b] = await codec.encode([toPayload(secret)]);
    expect(Buffer.from(a!.metadata!.encoding!).toString()).toBe('binary/encrypted');
    expect(Buffer.from(a!.metadata!['encryption-key-id']!).toString()).toBe('2026-01');
    expect(text(a!)).not.toContain('S3CR3T');
    expect(text(a!)).not.toContain('json/plain');
    expect(Buffer.from(a!.data!).subarray(0, 12)).not.toEqual(Buffer.from(b!.data!).subarray(0, 12));
    const [opened] = await codec.decode([a!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual(secret);
  });

  it('still opens payloads sealed under an old key after the current key changed', async () => {
    const [sealedBefore] = await new EncryptionCodec(keyringOf(oldKey)).encode([toPayload(secret)]);
    const rotated = new EncryptionCodec(keyringOf(`${newKey},${oldKey}`));
    const [sealedAfter] = await rotated.encode([toPayload('new')]);
    expect(Buffer.from(sealedAfter!.metadata!['encryption-key-id']!).toString()).toBe('2026-01');
    const [a, b] = await rotated.decode([sealedBefore!, sealedAfter!]);
    expect(defaultPayloadConverter.fromPayload(a!)).toEqual(secret);
    expect(defaultPayloadConverter.fromPayload(b!)).toBe('new');
  });

  it('refuses a payload whose key id is not configured, naming the id and never a key', async () => {
    const [sealed] = await new EncryptionCodec(keyringOf(oldKey)).encode([toPayload(secret)]);
    const attempt = new EncryptionCodec(keyringOf(newKey)).decode([sealed!]);
    await expect(attempt).rejects.toBeInstanceOf(PayloadDecryptionError);
    await expect(attempt).rejects.toThrow(/key "2025-01", which is not configured \(configured: 2026-01\)/);
  });

  it('refuses a payload that was altered, or relabelled with another key id', async () => {
    const codec = new EncryptionCodec(keyringOf(`${newKey},${oldKey}`));
    const [sealed] = await codec.encode([toPayload(secret)]);
    const flipped = Buffer.from(sealed!.data!);
    flipped[20]! ^= 1;
    await expect(codec.decode([{ ...sealed, data: flipped }])).rejects.toThrow(/does not authenticate/);
    const relabelled = { ...sealed, metadata: { ...sealed!.metadata, 'encryption-key-id': Buffer.from('2025-01') } };
    await expect(codec.decode([relabelled])).rejects.toThrow(/does not authenticate/);
  });

  it('passes payloads that were never encrypted (history from before encryption was on)', async () => {
    const plain = toPayload({ hello: 'world' });
    expect(await new EncryptionCodec(keyringOf(newKey)).decode([plain])).toEqual([plain]);
  });
});

describe('payload key settings', () => {
  it('takes the named key as current, else the first listed', () => {
    expect(keyringOf(`${newKey},${oldKey}`).currentId).toBe('2026-01');
    expect(keyringOf(`${newKey},${oldKey}`, '2025-01').currentId).toBe('2025-01');
  });

  it('refuses short keys, duplicate ids, a current id that is not listed, and never echoes a key', () => {
    const short = `k1:${Buffer.alloc(16, 7).toString('base64')}`;
    expect(() => parsePayloadKeys(short)).toThrow(/key "k1" must be 32 bytes/);
    expect(() => parsePayloadKeys(`${newKey},${newKey}`)).toThrow(/appears twice/);
    expect(() => parsePayloadKeys('no-colon-here')).toThrow(/entry 1: expected <id>:<base64 key>/);
    expect(() => keyringOf(newKey, 'gone')).toThrow(/current key "gone" is not among the keys \(2026-01\)/);
    const material = newKey.split(':')[1]!.slice(0, 20);
    expect(() => parsePayloadKeys(`bad:${material}`)).toThrow(/key "bad" must be 32 bytes/);
    expect(() => parsePayloadKeys(`bad:${material}`)).not.toThrow(material);
  });
});

describe('the failure converter', () => {
  it('loads in plain Node, as the SDK requires it by path in workers and clients', () => {
    const path = fileURLToPath(new URL('../../workflows/failure-converter.ts', import.meta.url));
    const script = `console.log(JSON.stringify(require(${JSON.stringify(path)}).failureConverter.options))`;
    expect(JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }))).toEqual({
      encodeCommonAttributes: true,
    });
  });
});
