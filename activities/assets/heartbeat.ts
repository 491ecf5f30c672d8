import { Context } from '@temporalio/activity';

/** Heartbeats every second while `work` runs (one esbuild call has no natural step to heartbeat from). */
export async function whileHeartbeating<T>(work: Promise<T>, details: () => unknown = () => undefined): Promise<T> {
  const context = Context.current();
  const timer = setInterval(() => context.heartbeat(details()), 1_000);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

/** Runs `fn` over `items`, `concurrency` at a time, heartbeating after each. */
export async function eachHeartbeating<T>(
  items: T[],
  concurrency: number,
  fn: (item: T) => Promise<void>,
  details: () => unknown,
): Promise<void> {
  const context = Context.current();
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
      context.heartbeat(details());
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
}
