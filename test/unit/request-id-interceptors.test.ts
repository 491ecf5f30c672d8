import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { withRequestId } from '../../config/request-context.ts';
import { requestIdOf, requestIdPropagation } from '../../workers/request-id.ts';
import { interceptors } from '../../workflows/interceptors.ts';

const header = (id: string) => ({ requestId: defaultPayloadConverter.toPayload(id) });
const pass = <T>(input: T) => Promise.resolve(input);
/** The id in what an outbound interceptor handed to `next` (here `pass`, which answers its input). */
const passedOn = (input: unknown) => requestIdOf((input as { headers: Record<string, Payload> }).headers);

describe('the request id header', () => {
  it('is added by the client inside a request only', async () => {
    const { signal } = requestIdPropagation();
    const input = { headers: {} } as Parameters<NonNullable<typeof signal>>[0];
    const seen: Array<Record<string, Payload>> = [];
    const next = (i: typeof input) => void seen.push(i.headers) as never;
    await signal!(input, next);
    await withRequestId('req-1', () => signal!(input, next));
    expect(seen.map(requestIdOf)).toEqual([undefined, 'req-1']);
  });

  it('goes from a workflow start to its activities and children; a signal with an id takes over', async () => {
    const { inbound, outbound } = interceptors();
    const [onCall, onWork] = [inbound![0]!, outbound![0]!];
    await onCall.execute!({ headers: header('req-start'), args: [] }, () => pass(undefined));
    expect(passedOn(await onWork.scheduleActivity!({ headers: {} } as never, pass as never))).toBe('req-start');
    expect(onWork.getLogAttributes!({ workflowId: 'w' }, (a) => a)).toEqual({
      workflowId: 'w',
      requestId: 'req-start',
    });

    await onCall.handleSignal!({ headers: header('req-signal'), signalName: 's', args: [] }, () => pass(undefined));
    const child = await onWork.startChildWorkflowExecution!({ headers: {} } as never, pass as never);
    expect(passedOn(child)).toBe('req-signal');
  });
});
