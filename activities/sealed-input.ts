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

/** Environment variables as `deployments` keeps them: names in clear, each value sealed; null is a variable unset. */
export type SealedEnv = Record<string, { sealed: string } | null>;

export async function sealEnv(codec: PayloadCodec, env: Record<string, string | null>): Promise<SealedEnv> {
  const names = Object.keys(env).filter((name) => env[name] !== null);
  const sealed = await codec.encode(names.map((name) => defaultPayloadConverter.toPayload(env[name])));
  const values = new Map(names.map((name, i) => [name, Buffer.from(ProtoPayload.encode(sealed[i]!).finish())]));
  return Object.fromEntries(
    Object.keys(env).map((name) => {
      const bytes = values.get(name);
      return [name, bytes ? { sealed: bytes.toString('base64') } : null];
    }),
  );
}

/** The values back; a row written before values were sealed holds a string, which is returned as it is. */
export async function openEnv(
  codec: PayloadCodec,
  stored: Record<string, unknown>,
): Promise<Record<string, string | null>> {
  const entries = await Promise.all(
    Object.entries(stored).map(async ([name, value]) => {
      if (value === null || typeof value === 'string') return [name, value] as const;
      const { sealed } = value as { sealed: string };
      const [payload] = await codec.decode([ProtoPayload.decode(Buffer.from(sealed, 'base64'))]);
      return [name, defaultPayloadConverter.fromPayload<string>(payload!)] as const;
    }),
  );
  return Object.fromEntries(entries);
}
