import { describe, expect, it } from 'vitest';
import { parseQueues, workerQueues } from '../../workers/queues.ts';

describe('capstan worker --queue', () => {
  it('takes repeated and comma-separated names, once each', () => {
    expect(parseQueues(['core,deploy', 'core'])).toEqual(['core', 'deploy']);
  });

  it('refuses an unknown queue and names the known ones', () => {
    expect(() => parseQueues(['core', 'reports'])).toThrow(/unknown task queue reports: choose from core, deploy\b/);
  });

  it('has no deploy worker without Clever Cloud settings', () => {
    expect(workerQueues.deploy({ clever: undefined } as never)).toBeUndefined();
  });
});
