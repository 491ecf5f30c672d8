/** The task queues a `capstan worker` can poll; a module of its own so the CLI's help names them without loading a worker. */
export const WORKER_QUEUE_NAMES = ['core', 'deploy', 'assets'] as const;

export type WorkerQueue = (typeof WORKER_QUEUE_NAMES)[number];
