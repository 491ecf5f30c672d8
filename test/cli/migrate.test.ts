import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import postgres from 'postgres';
import { unique } from '../support/stack.ts';

const bin = fileURLToPath(new URL('../../bin/capstan.js', import.meta.url));

async function capstan(env: Record<string, string>, ...args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      timeout: 90_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('capstan migrate', () => {
  it('migrates as DATABASE_OWNER_URL and lets DATABASE_URL, as capstan_app, sign in with row rights only', async () => {
    const name = `capstan_${unique('cli').replace(/\W/g, '_')}`;
    const admin = postgres(inject('ownerDatabaseUrl'), { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const appUrl = inject('databaseUrl').replace(/\/capstan$/, `/${name}`);
    const ownerUrl = inject('ownerDatabaseUrl').replace(/\/capstan$/, `/${name}`);
    const app = postgres(appUrl, { max: 1, onnotice: () => {} });
    try {
      const done = await capstan(
        { NODE_ENV: 'production', DATABASE_URL: appUrl, DATABASE_OWNER_URL: ownerUrl },
        'migrate',
      );
      expect(done.code, done.stderr).toBe(0);
      expect(done.stdout).toContain('0018_app_role.js');
      const [row] = await app`select current_user as user, (select count(*)::int from accounts) as accounts`;
      expect(row).toEqual({ user: 'capstan_app', accounts: 0 });
    } finally {
      await app.end();
      await admin.unsafe(`drop database ${name} with (force)`);
      await admin.end();
    }
  });

  it('in production, refuses to migrate without the owner apart from the application', async () => {
    const refused = await capstan({ NODE_ENV: 'production', DATABASE_URL: inject('databaseUrl') }, 'migrate');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('DATABASE_OWNER_URL is required when NODE_ENV=production');
    expect(refused.stderr).not.toContain(new URL(inject('databaseUrl')).password);
  });
});
