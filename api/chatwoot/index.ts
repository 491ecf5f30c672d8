import { OpenAPIHono } from '@hono/zod-openapi';
import { Hono, type MiddlewareHandler } from 'hono';
import type { Logger } from '../../config/logger.ts';
import { createErrorHandler } from '../problem/on-error.ts';
import { validationHook } from '../validation.ts';
import type { WriteRouteDeps } from '../write.ts';
import { agentRoutes } from './agents.ts';
import { contactRoutes } from './contacts.ts';
import { conversationRoutes } from './conversations.ts';
import { conversationWriteRoutes } from './conversation-writes.ts';
import { chatwootErrors } from './errors.ts';
import { inboxRoutes } from './inboxes.ts';
import { messageEditRoutes } from './message-edits.ts';
import { messageRoutes } from './messages.ts';
import { profileRoutes } from './profile.ts';
import { webhookRoutes } from './webhooks.ts';

export const DOOR_DOCUMENT = '/api/v1/openapi.json';

export interface ChatwootDoorDeps extends WriteRouteDeps {
  logger: Logger;
  /** What every /v1 request passes too, in order: body limit, address budget, authentication, token budget. */
  guards: MiddlewareHandler[];
}

/**
 * Chatwoot's Application API (`/api/v1/…`): Chatwoot's paths, bodies, statuses and error shapes over the
 * workflows Capstan's `/v1` routes start. Documented apart, at /api/v1/openapi.json: Capstan's /openapi.json
 * describes Capstan's conventions (problem+json, 201 on create) and this door keeps Chatwoot's.
 */
export function chatwootDoor(deps: ChatwootDoorDeps): Hono {
  const door = new OpenAPIHono({ defaultHook: validationHook });
  door.onError(chatwootErrors(createErrorHandler(deps.logger)));
  // Registered before the guards, so the document is public.
  door.doc31(DOOR_DOCUMENT, {
    openapi: '3.1.0',
    info: {
      title: "Capstan — Chatwoot's Application API",
      version: '0.1.0',
      description: 'Chatwoot-compatible paths and shapes over the same workflows as /v1. See docs/chatwoot-api.md.',
    },
  });
  door.openAPIRegistry.registerComponent('securitySchemes', 'api_access_token', {
    type: 'apiKey',
    in: 'header',
    name: 'api_access_token',
  });
  door.use('/api/v1/*', ...deps.guards);
  door.route('/', profileRoutes(deps));
  door.route('/', agentRoutes(deps));
  door.route('/', inboxRoutes(deps));
  door.route('/', contactRoutes(deps));
  door.route('/', conversationRoutes(deps));
  door.route('/', conversationWriteRoutes(deps));
  door.route('/', messageRoutes(deps));
  door.route('/', messageEditRoutes(deps));
  door.route('/', webhookRoutes(deps));
  // A plain Hono around it: mounted on the main app, its operations stay out of Capstan's /openapi.json.
  return new Hono().route('/', door);
}
