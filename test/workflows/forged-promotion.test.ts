import { describe, expect, it } from 'vitest';
import { workflows } from '../../contracts/workflows.ts';
import { executeWorkflow, startOptions } from '../../workers/start.ts';
import { issueToken } from '../../db/tokens.ts';
import { failureOf, outsider } from '../support/outsider.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack();

describe('a break-glass promotion started outside the API', () => {
  it('is refused before it grants anything', async () => {
    const key = unique('glass');
    const email = `${key}@example.test`;
    const token = issueToken();
    await executeWorkflow(
      stack.temporal,
      workflows.provisionAccount,
      { key },
      {
        idempotencyKey: key,
        name: 'Target',
        admin: { name: 'Ada', email },
        token: { sha256: token.sha256, prefix: token.prefix },
        actor: { type: 'Operator', id: 'vitest' },
      },
    );
    const input = { email, reason: 'self-service', ttlMs: 3_600_000, actor: { type: 'PlatformApp' as const, id: '1' } };
    // Whoever reaches Temporal with the payload keys but without the installation's actor secret.
    const run = outsider(stack).workflow.execute(
      workflows.promoteSuperAdmin.type,
      startOptions(workflows.promoteSuperAdmin, { email, key: unique('k') }, input),
    );

    expect(await failureOf(run)).toMatchObject({ type: 'Forbidden' });
    const grants = await stack.sql`
      select 1 from super_admin_grants g join users u on u.id = g.user_id where u.email = ${email}`;
    expect(grants).toHaveLength(0);
  });
});
