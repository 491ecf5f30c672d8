import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

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

interface K8sObject {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec: any;
}
const k8s = (file: string) =>
  parseAllDocuments(readFileSync(new URL(`../../deploy/k8s/${file}`, import.meta.url), 'utf8')).map(
    (d) => d.toJS() as K8sObject,
  );
const capstanApps = ['api', 'worker-core', 'worker-deploy', 'worker-assets'];

describe('deploy/k8s', () => {
  it('reaches Temporal over mTLS: every API and worker pod mounts its client certificate where the config points', () => {
    const { data } = k8s('config.yaml')[0] as unknown as { data: Record<string, string> };
    for (const name of ['TEMPORAL_TLS_CA', 'TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY'])
      expect(data[name], name).toMatch(/^\/etc\/capstan\/temporal-tls\//);
    for (const app of capstanApps) {
      const pod = k8s(`${app}.yaml`).find((o) => o.kind === 'Deployment')!.spec.template.spec;
      const volume = pod.volumes.find((v: any) => v.secret?.secretName === 'capstan-temporal-tls');
      expect(volume, app).toBeDefined();
      expect(pod.containers[0].volumeMounts, app).toContainEqual(
        expect.objectContaining({ name: volume.name, mountPath: '/etc/capstan/temporal-tls', readOnly: true }),
      );
    }
    const tls = (
      parseAllDocuments(
        readFileSync(new URL('../../deploy/k8s/temporal/values.yaml', import.meta.url), 'utf8'),
      )[0]!.toJS() as any
    ).server.config.tls;
    for (const side of ['frontend', 'internode']) {
      expect(tls[side].server.requireClientAuth, side).toBe(true);
      expect(tls[side].server.clientCaFiles.length, side).toBeGreaterThan(0);
    }
  });

  it('lets only the API and workers reach the Temporal frontend, and only they, the migration and Temporal reach PostgreSQL', () => {
    const temporal = k8s('temporal/network-policy.yaml');
    expect(temporal.find((p) => p.metadata.name === 'temporal-default-deny')?.spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress'],
    });
    const frontend = temporal.find((p) => p.metadata.name === 'temporal-frontend-from-capstan')!;
    expect(frontend.spec.podSelector.matchLabels['app.kubernetes.io/component']).toBe('frontend');
    const [rule] = frontend.spec.ingress;
    expect(frontend.spec.ingress).toHaveLength(1);
    expect(rule.from).toHaveLength(1);
    expect(rule.from[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name']).toBe(
      (
        parseAllDocuments(
          readFileSync(new URL('../../deploy/k8s/kustomization.yaml', import.meta.url), 'utf8'),
        )[0]!.toJS() as any
      ).namespace,
    );
    const components = rule.from[0].podSelector.matchExpressions.find(
      (e: any) => e.key === 'app.kubernetes.io/component',
    );
    expect(components.values.sort()).toEqual([...capstanApps].sort());

    const capstan = k8s('network-policy.yaml');
    expect(capstan.find((p) => p.metadata.name === 'capstan-default-deny')?.spec.podSelector).toEqual({});
    const postgres = capstan.find((p) => p.metadata.name === 'capstan-postgres')!;
    expect(postgres.spec.ingress).toHaveLength(1);
    const [fromCapstan, fromTemporal] = postgres.spec.ingress[0].from;
    expect(
      fromCapstan.podSelector.matchExpressions.find((e: any) => e.key === 'app.kubernetes.io/component').values.sort(),
    ).toEqual([...capstanApps, 'migrate'].sort());
    expect(fromTemporal.podSelector.matchLabels['app.kubernetes.io/name']).toBe('temporal');
    expect(postgres.spec.ingress[0].ports).toEqual([{ port: 5432 }]);
    // The migration Job's pod carries the labels the policy admits.
    const job = k8s('migrate-job.yaml')[0]!;
    expect(job.spec.template.metadata.labels['app.kubernetes.io/component']).toBe('migrate');
  });
});
