import { HandlerUnfinishedPolicy } from '@temporalio/common';
import { condition, setHandler } from '@temporalio/workflow';
import { writtenUpdate } from '../contracts/workflows.ts';

/**
 * Temporal's early return: the `written` update, sent with the start (api/write.ts), is answered with the run's
 * result as soon as `answer(result)` is called after the write commits; the work that follows — mail, webhook
 * deliveries — runs on in the same run while the caller already has its answer, instead of adding the child starts'
 * round trips to every request. Call it before the first `await`, so the update that arrives with the start finds
 * its handler. A run that fails before answering leaves the update to end with the run; the API then reads the
 * run's failure. Runs started without the update (schedules, a dead letter's retry) simply never use it.
 */
export function answerWhenWritten<R>(): (result: R) => R {
  let written: { result: R } | undefined;
  setHandler(
    writtenUpdate,
    async () => {
      await condition(() => written !== undefined);
      return written?.result;
    },
    { unfinishedPolicy: HandlerUnfinishedPolicy.ABANDON },
  );
  return (result) => {
    written = { result };
    return result;
  };
}
