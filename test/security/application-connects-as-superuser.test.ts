import { describe, expect, it } from 'vitest';
import { APP_ROLE, excessRights } from '../../db/app-role.ts';
import { migrate } from '../../db/migrate.ts';
import { createPool } from '../../db/pool.ts';
import { newAccount } from '../support/fixtures.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ http: true });

/** The SQLSTATE PostgreSQL answers a statement the role may not run with (insufficient_privilege). */
const refusal = (run: Promise<unknown>) =>
  run.then(
    () => 'ran',
    (err: { code?: string }) => err.code,
  );

/**
 * Finding: the application connected as the `postgres` superuser (compose, the local
 * stack, the tests), so any SQL injection or stolen pool could alter the schema, read
 * other databases or run programs. The API and workers now connect as capstan_app,
 * which the migration step creates with row rights only.
 */
describe('application connects as superuser', () => {
  it('the API and workers serve over HTTP as a role with no superuser, role, database or DDL rights', async () => {
    // A write through the API and a workflow's local activity: it works with row rights alone.
    await newAccount(stack, 'least-privilege');
    // Every connection of the pool the API and the workers share is the app role's.
    const users = await stack.ownerSql<{ usename: string }[]>`
      select distinct usename from pg_stat_activity where application_name = 'capstan-test' and pid <> pg_backend_pid()`;
    expect(users.map((u) => u.usename)).toEqual([APP_ROLE]);

    const [role] = await stack.sql<{ user: string; rolsuper: boolean; rolcreatedb: boolean; rolcreaterole: boolean }[]>`
      select current_user as user, rolsuper, rolcreatedb, rolcreaterole from pg_roles where rolname = current_user`;
    expect(role).toEqual({ user: APP_ROLE, rolsuper: false, rolcreatedb: false, rolcreaterole: false });
    expect(await excessRights(stack.sql)).toEqual([]);
    // The owner's connection fails the same check: it is not vacuous.
    expect(await excessRights(stack.ownerSql)).toContain('postgres holds superuser');
  });

  it('refuses DDL, the migration ledger and server-side programs to the app role', async () => {
    const table = `probe_${unique('t').replace(/\W/g, '_')}`;
    expect(await refusal(stack.sql.unsafe(`create table ${table} (id int)`))).toBe('42501');
    expect(await refusal(stack.sql`alter table accounts add column probe int`)).toBe('42501');
    expect(await refusal(stack.sql`drop table dead_letters`)).toBe('42501');
    expect(await refusal(stack.sql`truncate audit_log`)).toBe('42501');
    expect(await refusal(stack.sql`delete from migrations`)).toBe('42501');
    expect(await refusal(stack.sql.unsafe(`copy (select 1) to program 'true'`))).toBe('42501');
    expect(await refusal(stack.sql`create role probe_role`)).toBe('42501');
    // And the owner may: the refusals come from the role, not from the statements.
    expect(await refusal(stack.ownerSql.unsafe(`create table ${table} (id int)`))).toBe('ran');
    await stack.ownerSql.unsafe(`drop table ${table}`);
  });

  it("the migration's down() takes the role's rights back in its database, and up() gives them again", async () => {
    const name = `capstan_${unique('role').replace(/\W/g, '_')}`;
    await stack.ownerSql.unsafe(`create database ${name}`);
    const ownerUrl = stack.ownerDatabaseUrl.replace(/\/[^/]+$/, `/${name}`);
    await migrate(ownerUrl);
    const owner = createPool({ url: ownerUrl, max: 1 });
    const app = createPool({ url: stack.databaseUrl.replace(/\/[^/]+$/, `/${name}`), max: 1 });
    const migration = new URL('../../db/migrations/0018_app_role.js', import.meta.url).href;
    const { up, down } = (await import(migration)) as Record<'up' | 'down', (sql: typeof owner) => Promise<void>>;
    try {
      expect(await refusal(app`select count(*) from accounts`)).toBe('ran');
      await down(owner); // the role stays: the run's other databases still grant it rights
      expect(await refusal(app`select count(*) from accounts`)).toBe('42501');
      await up(owner);
      expect(await refusal(app`select count(*) from accounts`)).toBe('ran');
    } finally {
      await app.end();
      await owner.end();
      await stack.ownerSql.unsafe(`drop database ${name} with (force)`);
    }
  });
});
