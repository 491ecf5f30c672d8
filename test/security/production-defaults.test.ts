import { readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const k8sFiles = ['deploy/k8s', 'deploy/k8s/temporal', 'deploy/k8s/secrets'].flatMap((dir) =>
  readdirSync(new URL(dir, root), { withFileTypes: true })
    .filter((f) => f.isFile())
    .map((f) => `${dir}/${f.name}`),
);
/** Variables that hold a secret: none may have a default (`${X:-…}`), each must be required (`${X:?…}`). */
const SECRET_VARIABLE = /PASSWORD|SECRET|TOKEN|_KEYS?\b/;

/**
 * Finding: `docker-compose.yml` fell back to `POSTGRES_PASSWORD:-capstan` (and the application
 * connected as the `postgres` superuser), `deploy/k8s/` shipped a Secret of `CHANGE-ME`
 * values, and `.dockerignore` let `.env*` files into the image. An installation that forgot a
 * setting started on a password everyone knows.
 */
describe('production defaults', () => {
  it('compose requires every password and key, and the application connects as capstan_app', () => {
    const compose = read('docker-compose.yml');
    const substitutions = [...compose.matchAll(/\$\{(\w+)(?:(:?[-?])([^}]*))?\}/g)];
    const secrets = substitutions.filter(([, name]) => SECRET_VARIABLE.test(name!));
    expect(secrets.map(([, name]) => name)).toEqual(
      expect.arrayContaining(['POSTGRES_PASSWORD', 'CAPSTAN_DB_PASSWORD']),
    );
    for (const [text, , operator] of secrets) expect(operator, text).toBe(':?');
    // No password written into a connection string: each is a required substitution.
    for (const [, password] of compose.matchAll(/postgres:\/\/[^:\s/@]+:([^@\s]*)@/g))
      expect(password).toMatch(/^\$\{\w+:\?[^}]*\}$/);
    const services = parse(compose, { merge: true }).services as Record<
      string,
      { environment?: Record<string, string> }
    >;
    for (const app of ['api', 'worker-core', 'worker-deploy', 'worker-assets', 'migrate'])
      expect(services[app]?.environment?.DATABASE_URL, app).toMatch(/^postgres:\/\/capstan_app:/);
    expect(services.migrate?.environment?.DATABASE_OWNER_URL).toMatch(/^postgres:\/\/postgres:/);
    expect(services.api?.environment?.DATABASE_OWNER_URL).toBeUndefined();
  });

  it('deploy/k8s ships no secret value: its secrets are generated from files git keeps out', () => {
    for (const file of k8sFiles) expect(read(file), file).not.toMatch(/CHANGE-?ME|changeme/i);
    const documents = k8sFiles
      .filter((f) => f.endsWith('.yaml'))
      .flatMap((f) => parseAllDocuments(read(f)).map((d) => d.toJS() as { kind?: string }));
    expect(documents.filter((d) => d.kind === 'Secret')).toEqual([]);
    const generated = (
      parseAllDocuments(read('deploy/k8s/kustomization.yaml'))[0]!.toJS() as {
        secretGenerator: Array<{ envs?: string[]; files?: string[] }>;
      }
    ).secretGenerator.flatMap((g) => [...(g.envs ?? []), ...(g.files ?? []).map((f) => f.split('=').pop()!)]);
    expect(generated.length).toBeGreaterThanOrEqual(5);
    const paths = generated.map((f) => `deploy/k8s/${f}`);
    const ignored = execFileSync('git', ['check-ignore', '--no-index', ...paths], { cwd: root, encoding: 'utf8' });
    expect(ignored.trim().split('\n').sort()).toEqual([...paths].sort());
    // The examples name each setting and give none a value.
    for (const example of k8sFiles.filter((f) => f.endsWith('.env.example')))
      for (const line of read(example)
        .split('\n')
        .filter((l) => l && !l.startsWith('#')))
        expect(line, example).toMatch(/^[A-Z_]+=$/);
  });

  it('.dockerignore keeps every .env file out of the image', () => {
    const patterns = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim());
    const excluded = (name: string) =>
      patterns.some(
        (p) => p && new RegExp(`^${p.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`).test(name),
      );
    for (const name of ['.env', '.env.production', '.env.local']) expect(excluded(name), name).toBe(true);
  });
});
