import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { workflows } from '../../contracts/workflows.ts';
import { hashToken, issueToken } from '../../db/tokens.ts';
import { actorOf } from '../actor.ts';
import { platformAccess } from '../auth/index.ts';
import { idempotencyHeader, jsonBody, jsonContent, security } from '../common-schemas.ts';
import { ProblemError } from '../problem/index.ts';
import { problemContent, writeAnswers } from '../problem/schema.ts';
import { validationHook } from '../validation.ts';
import { keyOrFresh, runWrite, type WriteRouteDeps } from '../write.ts';
import { issueBody, linkView, redeemBody, signedIn, signedInView, signInLink } from './schemas.ts';

const gone = { 404: { description: 'No such link, used, replaced or expired', content: problemContent } };

/** The path that needs no access token: the link's own secret authenticates it. */
export const REDEEM_PATH = '/v1/sign-in-links/redeem';

/**
 * One-time sign-in links: the platform operator issues one for a member of an account (after a forced reset,
 * or as the first credential of a user the platform made); it is mailed to that user's address alone, who
 * redeems it for a token of their own. Nobody else — operator, administrator, platform app — holds it.
 */
export function signInLinkRoutes({ temporal, workflowWaitMs }: Omit<WriteRouteDeps, 'sql'>) {
  const app = new OpenAPIHono({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/sign-in-links',
      operationId: 'issueSignInLink',
      summary: "Issue a one-time sign-in link for a member (the operator's platform token)",
      description:
        'Short-lived, single use, stored as a hash, audited; a newer link for the same user and account ends the older one, and a forced reset ends both.',
      security,
      middleware: platformAccess('platform:admin'),
      request: { headers: idempotencyHeader, body: jsonBody(issueBody) },
      responses: {
        201: jsonContent(signInLink, "Issued; the link is mailed to the user's address, never answered"),
        ...writeAnswers,
        404: { description: 'No member of the account has this email', content: problemContent },
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const expiresAt = new Date(Date.now() + body.expires_in_minutes * 60_000).toISOString();
      const { result } = await runWrite(temporal, {
        entry: workflows.issueSignInLink,
        key: { key: keyOrFresh(c.req.valid('header')['idempotency-key']) },
        input: {
          email: body.email,
          accountId: body.account_id,
          reason: body.reason,
          expiresAt,
          actor: actorOf(c.get('principal')),
        },
        fingerprintOf: { email: body.email, accountId: body.account_id, minutes: body.expires_in_minutes },
        waitMs: workflowWaitMs,
      });
      return c.json(linkView(result), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: REDEEM_PATH,
      operationId: 'redeemSignInLink',
      security: [],
      summary: 'Redeem a one-time sign-in link for a token of your own (no access token needed)',
      request: { body: jsonBody(redeemBody) },
      responses: {
        201: jsonContent(signedIn, 'Signed in; `access_token` acts in that account only, shown once'),
        ...writeAnswers,
        ...gone,
        409: { description: 'Already used', content: problemContent },
      },
    }),
    async (c) => {
      const plaintext = c.req.valid('json').token;
      const linkSha256 = hashToken(plaintext);
      const token = issueToken();
      // Keyed by the link: redeeming twice is one run, and the second answer carries no token.
      const { result, replayed } = await runWrite(temporal, {
        entry: workflows.redeemSignInLink,
        key: { key: linkSha256 },
        input: {
          linkSha256,
          token: { sha256: token.sha256, prefix: token.prefix },
          actor: { type: 'SignInLink', id: plaintext.slice(0, 12) },
        },
        fingerprintOf: { linkSha256 },
        waitMs: workflowWaitMs,
      });
      // Single use: a second redemption (the same run, found by the link) yields nothing.
      if (replayed) throw new ProblemError('conflict', 'This sign-in link has already been used.');
      return c.json(signedInView(result, token.plaintext), 201);
    },
  );

  return app;
}
