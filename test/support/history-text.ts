import type { Payload } from '@temporalio/common';
import type { TestStack } from './stack.ts';

/** Every payload of a run's history, decoded with the run's codec, as text: to show a secret is in none. */
export async function historyText(stack: TestStack, workflowId: string): Promise<string> {
  const history = await stack.temporal.workflow.getHandle(workflowId).fetchHistory();
  const payloads: Payload[] = [];
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if ('data' in node && 'metadata' in node && (node as Payload).data instanceof Uint8Array) {
      payloads.push(node as Payload);
      return;
    }
    for (const value of Object.values(node)) walk(value);
  };
  walk(history);
  const decoded = await stack.access.codec!.decode(payloads);
  return decoded.map((p) => Buffer.from(p.data ?? []).toString('utf8')).join('\n');
}
