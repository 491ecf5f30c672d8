import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';

/**
 * The history of one run as time between its events: where a hop's milliseconds go. With `since` (epoch ms,
 * when the request left), times count from it, so the first event shows what came before the start.
 */
export async function hops(client: Client, workflowId: string, since?: number): Promise<string> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const ms = (e: (typeof events)[number]) => Number(e.eventTime!.seconds) * 1000 + (e.eventTime!.nanos ?? 0) / 1e6;
  const short = (t: unknown) =>
    String(proto.temporal.api.enums.v1.EventType[t as number])
      .replace('EVENT_TYPE_', '')
      .replace(/_/g, ' ')
      .toLowerCase()
      .replace(/workflow task/, 'wt')
      .replace(/activity task/, 'at');
  const t0 = since ?? ms(events[0]!);
  return events
    .slice(since === undefined ? 1 : 0)
    .map((e) => `${short(e.eventType)} +${(ms(e) - t0).toFixed(1)}`)
    .join(', ');
}
