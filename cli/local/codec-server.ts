import type { PayloadCodec } from '@temporalio/common';
import type { CodecServerOptions } from '../../api/codec/index.ts';
import type { Env } from '../../config/env.ts';
import { codecCorsOrigins } from '../../config/temporal.ts';

/**
 * The codec server `capstan up` serves. Its own dev server's Web UI has no sign-in to pass a token with: it
 * decodes through the codec session the console opens (api/codec/session.ts), once its Data Encoder includes
 * cross-origin credentials. Its origins are allowed to call, which gives them nothing without a credential.
 */
export function localCodecServer(env: Env, codec: PayloadCodec): CodecServerOptions {
  return { codec, allowedOrigins: codecCorsOrigins(env) };
}
