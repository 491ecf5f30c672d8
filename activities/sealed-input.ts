import { defaultPayloadConverter, type PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';

// A CommonJS module whose exports Node's ESM loader cannot list: take them from its default export.
const ProtoPayload = proto.temporal.api.common.v1.Payload;

/**
 * A workflow's arguments as bytes sealed by the payload codec (workers/codec.ts):
 * what the history holds, so PostgreSQL keeps no secret in clear, and the same
 * keys (CAPSTAN_PAYLOAD_KEYS, rotation included) open it again for a retry.
 */
export async function sealArgs(codec: PayloadCodec, args: unknown[]): Promise<Uint8Array> {
  const [sealed] = await codec.encode([defaultPayloadConverter.toPayload(args)]);
  return ProtoPayload.encode(sealed!).finish();
}

export async function openArgs(codec: PayloadCodec, bytes: Uint8Array): Promise<unknown[]> {
  const [payload] = await codec.decode([ProtoPayload.decode(bytes)]);
  return defaultPayloadConverter.fromPayload<unknown[]>(payload!);
}
