import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { decode as utf8, encode as bytes } from '@temporalio/common/lib/encoding.js';
import proto from '@temporalio/proto';
import type { PayloadKeyring } from '../config/payload-keys.ts';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;
// A CommonJS module whose exports Node's ESM loader cannot list: take them from its default export.
const ProtoPayload = proto.temporal.api.common.v1.Payload;

/** A payload that cannot be opened: its key is not configured, or its bytes were altered. */
export class PayloadDecryptionError extends Error {
  override name = 'PayloadDecryptionError';
}

/**
 * AES-256-GCM over the whole serialised payload (its own metadata included), with a
 * fresh 96-bit IV each time: `data` = IV ‖ ciphertext ‖ tag. The key id travels in
 * clear metadata so any configured key decrypts what it sealed; new payloads use the
 * current key. Payloads that are not encrypted (written before encryption was on) pass.
 */
export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keyring: PayloadKeyring) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const { currentId } = this.keyring;
    const key = this.keyring.keys.get(currentId)!;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      // The key id is authenticated data: swapping it makes decryption fail, not pick another key silently.
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES }).setAAD(
        Buffer.from(currentId),
      );
      const plain = ProtoPayload.encode(payload).finish();
      return {
        metadata: { [METADATA_ENCODING_KEY]: bytes(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: bytes(currentId) },
        data: Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || utf8(encoding) !== ENCRYPTED_ENCODING) return payload;
      const idBytes = payload.metadata?.[KEY_ID_METADATA];
      if (!idBytes) throw new PayloadDecryptionError(`encrypted payload without the "${KEY_ID_METADATA}" metadata`);
      const keyId = utf8(idBytes);
      const key = this.keyring.keys.get(keyId);
      if (!key) {
        throw new PayloadDecryptionError(
          `payload encrypted with key "${keyId}", which is not configured (configured: ${[...this.keyring.keys.keys()].join(', ')}); add it back to CAPSTAN_PAYLOAD_KEYS`,
        );
      }
      const data = Buffer.from(payload.data ?? []);
      if (data.length < IV_BYTES + TAG_BYTES)
        throw new PayloadDecryptionError(`encrypted payload (key "${keyId}") is truncated`);
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES), {
        authTagLength: TAG_BYTES,
      }).setAAD(idBytes);
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      } catch {
        throw new PayloadDecryptionError(
          `encrypted payload (key "${keyId}") does not authenticate: altered, or sealed by another key of that name`,
        );
      }
      return ProtoPayload.decode(plain);
    });
  }
}
