import type { Logger } from '../config/logger.ts';

type Step = readonly [name: string, stop: () => Promise<unknown>];

/**
 * What a process started, stopped in reverse order: on the first SIGINT or
 * SIGTERM, or at once when start-up fails half-way, so no server is orphaned.
 * A second signal exits at once.
 */
export class Shutdown {
  private readonly steps: Step[] = [];
  private stopping: Promise<void> | undefined;

  constructor(private readonly logger: Logger) {}

  add(name: string, stop: () => Promise<unknown>): void {
    this.steps.unshift([name, stop]);
  }

  stop(reason: string): Promise<void> {
    this.stopping ??= (async () => {
      this.logger.info({ reason }, 'stopping');
      for (const [name, step] of this.steps) {
        await step().catch((err: unknown) => this.logger.error({ err, step: name }, 'stop step failed'));
      }
      this.logger.info('stopped');
    })();
    return this.stopping;
  }

  /** Resolves once a signal has stopped everything. */
  untilSignal(): Promise<void> {
    return new Promise((resolve) => {
      const onSignal = (signal: NodeJS.Signals) => {
        if (this.stopping) {
          this.logger.warn({ signal }, 'second signal: exiting now');
          process.exit(130);
        }
        void this.stop(signal).then(resolve);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    });
  }

  /** Runs start-up; if it throws, stops what was already started and rethrows. */
  async starting<T>(start: () => Promise<T>): Promise<T> {
    try {
      return await start();
    } catch (err) {
      await this.stop('start-up failed');
      throw err;
    }
  }
}
