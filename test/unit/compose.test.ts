import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Service {
  image?: string;
  command?: string[];
  healthcheck?: { test?: string[]; disable?: boolean };
  depends_on?: Record<string, { condition: string }> | string[];
}

const compose = parse(readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const services = compose.services;
/** Jobs that run once and exit: they need no health check, and what follows them waits for their success. */
const oneShots = ['temporal-schema', 'temporal-namespace', 'migrate'];

describe('docker-compose.yml', () => {
  it('gives every long-running service a health check', () => {
    const unchecked = Object.entries(services)
      .filter(([name]) => !oneShots.includes(name))
      .filter(([, s]) => !s.healthcheck?.test?.length || s.healthcheck.disable)
      .map(([name]) => name);
    expect(unchecked).toEqual([]);
  });

  it('starts a service only once what it depends on is healthy, or for a one-shot job, done', () => {
    for (const [name, service] of Object.entries(services)) {
      expect(Array.isArray(service.depends_on), `${name} lists depends_on without conditions`).toBe(false);
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(services[dependency], `${name} depends on unknown ${dependency}`).toBeDefined();
        const expected = oneShots.includes(dependency) ? 'service_completed_successfully' : 'service_healthy';
        expect(condition, `${name} → ${dependency}`).toBe(expected);
      }
    }
  });

  it('sets the Temporal schema up with temporal-sql-tool before the server starts, not auto-setup', () => {
    expect(services.temporal?.image).toMatch(/^temporalio\/server:/);
    expect(Object.values(services).map((s) => s.image ?? '')).not.toContainEqual(expect.stringMatching(/auto-setup/));
    expect(services.temporal?.depends_on).toEqual({
      'temporal-schema': { condition: 'service_completed_successfully' },
    });
    expect(services['temporal-schema']?.command?.join('\n')).toMatch(/temporal-sql-tool .*update-schema/);
  });

  it('runs the API and migrations after the database, and one worker per task queue', () => {
    for (const app of ['api', 'worker-core', 'worker-deploy', 'worker-assets'])
      expect(Object.keys(services[app]?.depends_on ?? {}).sort(), app).toEqual([
        'migrate',
        'temporal',
        'temporal-namespace',
      ]);
    const queues = Object.values(services)
      .filter((s) => s.command?.[0] === 'worker')
      .map((s) => s.command?.slice(1).join(' '));
    expect(queues.sort()).toEqual(['--queue assets', '--queue core', '--queue deploy']);
  });
});
