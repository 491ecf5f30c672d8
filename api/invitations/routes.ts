import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { invitationStatus } from '../../contracts/members.ts';
import { workflows } from '../../contracts/workflows.ts';
import { hashToken, issueToken } from '../../db/tokens.ts';
import { actorOf } from '../actor.ts';
import { accountAccess } from '../auth/account-access.ts';
import { tokenAccess } from '../auth/scope.ts';
import { accountParam, idempotencyHeader, jsonBody, jsonContent, listOf, security } from '../common-schemas.ts';
import { ProblemError } from '../problem/index.ts';
import { problemContent, writeAnswers } from '../problem/schema.ts';
import { validationHook } from '../validation.ts';
import { keyOrFresh, runWrite, type WriteRouteDeps } from '../write.ts';
import {
  acceptBody,
  invitation,
  invitationParam,
  invitationView,
  inviteBody,
  joined,
  joinedView,
  ownInvitationParam,
} from './schemas.ts';

const admins = ['administrator'] as const;
const ownTokenHint = 'An invitation is accepted by the invited user, with their own token.';
const seatsTaken = { 402: { description: "All the licence's seats are taken", content: problemContent } };
const gone = { 404: { description: 'No such invitation, withdrawn or expired', content: problemContent } };

/**
 * Joining an account: an administrator invites an email; the one-time token is mailed to that
 * address (the inviter never sees it), and its owner accepts with it as a new user (or, as a user
 * already, with their own token). Inviting answers the same whether the email has a user or not.
 */
export function invitationRoutes({ sql, temporal, workflowWaitMs }: WriteRouteDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/accounts/{id}/invitations',
      operationId: 'inviteMember',
      summary: 'Invite an email to join (administrators)',
      security,
      middleware: accountAccess({ sql, roles: admins, scope: 'members:manage' }),
      request: { params: accountParam, headers: idempotencyHeader, body: jsonBody(inviteBody) },
      responses: {
        201: jsonContent(invitation, 'Invited; the one-time link is mailed to the invited address, and to nobody else'),
        ...writeAnswers,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const expiresAt = new Date(Date.now() + body.expires_in_hours * 3_600_000).toISOString();
      const { result } = await runWrite(temporal, {
        entry: workflows.inviteMember,
        key: { accountId: id, key: keyOrFresh(c.req.valid('header')['idempotency-key']) },
        input: {
          accountId: id,
          email: body.email,
          role: body.role,
          expiresAt,
          actor: actorOf(c.get('principal')),
        },
        fingerprintOf: { email: body.email, role: body.role, hours: body.expires_in_hours },
        waitMs: workflowWaitMs,
      });
      return c.json(invitationView(result), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/accounts/{id}/invitations',
      operationId: 'listInvitations',
      summary: 'List invitations (administrators)',
      security,
      middleware: accountAccess({ sql, roles: admins, scope: 'members:manage' }),
      request: { params: accountParam },
      responses: { 200: jsonContent(listOf(invitation), 'Invitations, newest first') },
    }),
    async (c) => {
      const rows = await sql<
        {
          id: number;
          account_id: number;
          email: string;
          role: 'administrator' | 'agent';
          expires_at: Date;
          accepted_at: Date | null;
          revoked_at: Date | null;
        }[]
      >`
        select id, account_id, email, role, expires_at, accepted_at, revoked_at from invitations where account_id = ${c.req.valid('param').id} order by id desc limit 500`;
      return c.json(
        {
          payload: rows.map((r) => ({
            id: r.id,
            account_id: r.account_id,
            email: r.email,
            role: r.role,
            status: invitationStatus(r),
            expires_at: r.expires_at.toISOString(),
          })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/accounts/{id}/invitations/{invitationId}',
      operationId: 'revokeInvitation',
      summary: 'Withdraw a pending invitation (administrators)',
      security,
      middleware: accountAccess({ sql, roles: admins, scope: 'members:manage' }),
      request: { params: invitationParam },
      responses: { 200: jsonContent(invitation, 'Withdrawn: its token no longer works'), ...writeAnswers, ...gone },
    }),
    async (c) => {
      const { id, invitationId } = c.req.valid('param');
      const { result } = await runWrite(temporal, {
        entry: workflows.revokeInvitation,
        key: { accountId: id, invitationId, key: keyOrFresh(undefined) },
        input: { accountId: id, invitationId, actor: actorOf(c.get('principal')) },
        waitMs: workflowWaitMs,
      });
      return c.json(invitationView(result), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/invitations/accept',
      operationId: 'acceptInvitation',
      security: [],
      summary: 'Accept an invitation with its one-time token (no access token needed)',
      description:
        'The link makes a new user, only for an email that has none. For an email that already has a user it answers 409 and writes nothing: whoever holds the link never gets an existing user’s credential; that user accepts with their own token (`POST /v1/invitations/{invitationId}/accept`).',
      request: { body: jsonBody(acceptBody) },
      responses: {
        201: jsonContent(joined, 'Joined; `access_token` acts in that account only, shown once'),
        ...writeAnswers,
        ...seatsTaken,
        ...gone,
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const linkSha256 = hashToken(body.token);
      const token = issueToken();
      // Keyed by the link: accepting twice is one run, and the second answer carries no token.
      const { result, replayed } = await runWrite(temporal, {
        entry: workflows.acceptInvitation,
        key: { key: linkSha256 },
        input: {
          by: { kind: 'link', linkSha256 },
          name: body.name,
          token: { sha256: token.sha256, prefix: token.prefix },
          actor: { type: 'Invitation', id: body.token.slice(0, 12) },
        },
        fingerprintOf: { linkSha256 },
        waitMs: workflowWaitMs,
      });
      return c.json(joinedView(result, replayed ? null : token.plaintext), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/invitations/{invitationId}/accept',
      operationId: 'acceptOwnInvitation',
      security,
      middleware: tokenAccess({ user: 'invitations:accept', hint: ownTokenHint }),
      summary: 'Accept an invitation to your email with your own token',
      request: { params: ownInvitationParam },
      responses: {
        201: jsonContent(joined, 'Joined; `access_token` acts in that account only, shown once'),
        ...writeAnswers,
        ...seatsTaken,
        ...gone,
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      if (principal.kind !== 'user') throw new ProblemError('forbidden', ownTokenHint);
      const { invitationId } = c.req.valid('param');
      const token = issueToken();
      const { result, replayed } = await runWrite(temporal, {
        entry: workflows.acceptInvitation,
        key: { key: `${invitationId}:${principal.userId}` },
        input: {
          by: { kind: 'user', invitationId, userId: principal.userId },
          token: { sha256: token.sha256, prefix: token.prefix },
          actor: actorOf(principal),
        },
        fingerprintOf: { invitationId, userId: principal.userId },
        waitMs: workflowWaitMs,
      });
      return c.json(joinedView(result, replayed ? null : token.plaintext), 201);
    },
  );

  return app;
}
