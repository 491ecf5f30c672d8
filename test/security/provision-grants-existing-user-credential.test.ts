import { describe, expect, it } from 'vitest';
import { call } from '../support/http.ts';
import { unique, useStack } from '../support/stack.ts';
import { superAdminVictim } from '../support/victim.ts';

const stack = useStack({ http: true });

/**
 * `POST /v1/accounts` made its administrator from the user with that email, existing or not, and answered
 * with a token owned by them: a platform token naming a super admin's email got that super admin's credential.
 */
describe("provisioning an account never yields an existing user's credential", () => {
  it("a platform token naming B's super admin as administrator gets no token and makes no account", async () => {
    const victim = await superAdminVictim(stack);
    const name = unique('Takeover');
    const res = await call(stack.api.url, 'POST', '/v1/accounts', {
      token: stack.platformToken,
      body: { name, admin: { name: 'Mallory', email: victim.email.toUpperCase() } },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(409);
    expect(JSON.stringify(res.body)).not.toContain('sil_');
    expect(JSON.stringify(res.body)).not.toContain(victim.name);
    expect(await stack.sql`select id from accounts where name = ${name}`).toHaveLength(0);
    const links = await stack.sql`select 1 from sign_in_links where user_id = ${victim.adminId}`;
    expect(links).toHaveLength(1); // B's own, from when B was made, and redeemed by B
    const [user] = await stack.sql`select name from users where id = ${victim.adminId}`;
    expect(user!.name).toBe(victim.name);
  });
});
