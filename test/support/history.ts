import { Client } from '@temporalio/client';
import type { TestStack } from './stack.ts';

/** A client without Capstan's codec: it sees history as the Temporal server (and its database) stores it. */
export function clientWithoutCodec(stack: TestStack): Client {
  return new Client({ connection: stack.temporal.connection, namespace: stack.namespace });
}

/**
 * Every string and every byte field of a fetched history, as text: payload data
 * (which JSON export would hide in base64), metadata, failure messages, memo, search attributes.
 */
export async function storedText(stack: TestStack, workflowId: string): Promise<string> {
  const history = await clientWithoutCodec(stack).workflow.getHandle(workflowId).fetchHistory();
  const parts: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') parts.push(value);
    else if (value instanceof Uint8Array) parts.push(Buffer.from(value).toString('utf8'));
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(history);
  return parts.join('\n');
}
