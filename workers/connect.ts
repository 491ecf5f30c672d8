import { Client, Connection, type ConnectionLike, type WorkflowClientInterceptor } from '@temporalio/client';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import { NativeConnection } from '@temporalio/worker';
import type { Env } from '../config/env.ts';
import { resolvePayloadKeyring } from '../config/payload-keyring.ts';
import { temporalConnectionOptions, type TemporalConnectionOptions } from '../config/temporal.ts';
import { failureConverterPath } from './bundle.ts';
import { actorSigning } from './actor-signing.ts';
import { requestIdPropagation } from './request-id.ts';
import { EncryptionCodec } from './codec.ts';

/** Everything a client or worker needs to reach Temporal and read what it stores. */
export interface TemporalAccess extends TemporalConnectionOptions {
  namespace: string;
  /** Seals every payload (inputs, results, signals, queries, memo, failure details) before it leaves the process. */
  codec: PayloadCodec;
}

/**
 * This process's access from its environment: TLS and API key, and the payload keys
 * (`localKeyFile` is set when they come from the local data directory, not CAPSTAN_PAYLOAD_KEYS).
 */
export async function temporalAccessOf(
  env: Env,
  address: string,
): Promise<{ access: TemporalAccess; localKeyFile?: string }> {
  const { keyring, localFile } = await resolvePayloadKeyring(env);
  const access = {
    ...temporalConnectionOptions(env, address),
    namespace: env.TEMPORAL_NAMESPACE,
    codec: new EncryptionCodec(keyring),
  };
  return { access, ...(localFile && { localKeyFile: localFile }) };
}

/** The one data converter of Capstan: every client and worker uses it, or history cannot be read. */
export function dataConverterOf(codec: PayloadCodec): DataConverter {
  return { payloadCodecs: [codec], failureConverterPath };
}

/** The converter's codecs as one (in the order the SDK applies them): what dead letters seal their input with. */
export function codecOf(converter: DataConverter): PayloadCodec {
  const codecs = converter.payloadCodecs ?? [];
  return {
    encode: (payloads: Payload[]) => codecs.reduceRight(async (p, c) => c.encode(await p), Promise.resolve(payloads)),
    decode: (payloads: Payload[]) => codecs.reduce(async (p, c) => c.decode(await p), Promise.resolve(payloads)),
  };
}

export interface ClientOptions {
  /** The installation's actor secret (db/installation.ts): workflows this client starts for an actor carry its proof. */
  actorSecret?: Uint8Array;
}

export async function connectClient(access: TemporalAccess, options: ClientOptions = {}): Promise<Client> {
  const connection = await Connection.connect(connectionOptions(access));
  return clientOn(connection, access, options);
}

/**
 * A client on the workers' own connection, for a process that runs both (`capstan up`): every start asks for
 * eager start, so when a worker of this process has a free slot the server hands it the first workflow task in
 * the start answer instead of through a task queue, one hop fewer (bench/suite.bench.ts measures it).
 */
export function eagerClient(connection: NativeConnection, access: TemporalAccess, options: ClientOptions = {}): Client {
  return clientOn(connection, access, options, [eagerStart], NativeDeadlineClient);
}

/**
 * On a NativeConnection a deadline that passes mid-call comes back as CANCELLED at times (gRPC code 1), where
 * a grpc-js connection answers DEADLINE_EXCEEDED (4), which callers look for: a write past its wait answers 202.
 */
class NativeDeadlineClient extends Client {
  override async withDeadline<R>(deadline: number | Date, fn: () => Promise<R>): Promise<R> {
    try {
      return await super.withDeadline(deadline, fn);
    } catch (err) {
      if (Date.now() >= +deadline && hasCode(err, 1))
        throw Object.assign(new Error('deadline exceeded', { cause: err }), { code: 4 });
      throw err;
    }
  }
}

function hasCode(err: unknown, code: number): boolean {
  for (let e = err; e; e = (e as { cause?: unknown }).cause) if ((e as { code?: unknown }).code === code) return true;
  return false;
}

const eagerStart: WorkflowClientInterceptor = {
  start: (input, next) => next({ ...input, options: { ...input.options, requestEagerStart: true } }),
};

function clientOn(
  connection: ConnectionLike,
  access: TemporalAccess,
  options: ClientOptions,
  extra: WorkflowClientInterceptor[] = [],
  ClientClass: typeof Client = Client,
): Client {
  return new ClientClass({
    connection,
    namespace: access.namespace,
    dataConverter: dataConverterOf(access.codec),
    interceptors: {
      workflow: [requestIdPropagation(), ...(options.actorSecret ? [actorSigning(options.actorSecret)] : []), ...extra],
    },
  });
}

export function connectWorker(access: TemporalAccess): Promise<NativeConnection> {
  return NativeConnection.connect(connectionOptions(access));
}

function connectionOptions({ address, tls, apiKey }: TemporalAccess): TemporalConnectionOptions {
  return { address, ...(tls && { tls }), ...(apiKey && { apiKey }) };
}
