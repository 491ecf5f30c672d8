import { randomBytes } from 'node:crypto';

/** The AES-256 keys payloads are sealed with: the current one encrypts, any of them decrypts. */
export interface PayloadKeyring {
  currentId: string;
  keys: ReadonlyMap<string, Buffer>;
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Reads `id:base64key,id2:base64key` (commas or whitespace between entries).
 * Errors name the entry, never echo key material.
 */
export function parsePayloadKeys(text: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  const entries = text.split(/[\s,]+/).filter(Boolean);
  if (!entries.length) throw new Error('no key given; expected <id>:<base64 key>[,<id>:<base64 key>…]');
  entries.forEach((entry, i) => {
    const at = entry.indexOf(':');
    const id = entry.slice(0, at);
    const encoded = entry.slice(at + 1);
    if (at < 1 || !KEY_ID.test(id))
      throw new Error(`entry ${i + 1}: expected <id>:<base64 key> with an id of letters, digits, ".", "_" or "-"`);
    if (keys.has(id)) throw new Error(`key id "${id}" appears twice`);
    const key = Buffer.from(encoded, 'base64');
    if (!BASE64.test(encoded) || key.length !== 32)
      throw new Error(`key "${id}" must be 32 bytes in base64 (make one with: openssl rand -base64 32)`);
    keys.set(id, key);
  });
  return keys;
}

/** A keyring from the two settings; the current key is the one named, else the first listed. */
export function keyringOf(keysText: string, currentId?: string): PayloadKeyring {
  const keys = parsePayloadKeys(keysText);
  const current = currentId ?? keys.keys().next().value!;
  if (!keys.has(current))
    throw new Error(`the current key "${current}" is not among the keys (${[...keys.keys()].join(', ')})`);
  return { currentId: current, keys };
}

/** One fresh key in the settings' format, for the local stack and tests. */
export function generatePayloadKeys(id = `local-${new Date().toISOString().slice(0, 10)}`): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}
