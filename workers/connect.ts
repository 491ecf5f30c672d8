import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { actorSigning } from './actor-signing.ts';

export interface ClientOptions {
  /** The installation's actor secret (db/installation.ts): workflows this client starts for an actor carry its proof. */
  actorSecret?: Uint8Array;
}

export async function connectClient(address: string, namespace: string, options: ClientOptions = {}): Promise<Client> {
  const connection = await Connection.connect({ address });
  return new Client({
    connection,
    namespace,
    interceptors: { workflow: options.actorSecret ? [actorSigning(options.actorSecret)] : [] },
  });
}

export function connectWorker(address: string): Promise<NativeConnection> {
  return NativeConnection.connect({ address });
}
