import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Client } from '@temporalio/client';
import { tokenAccess } from '../auth/scope.ts';
import { jsonContent, security } from '../common-schemas.ts';
import { validationHook } from '../validation.ts';

const consoleSettings = z
  .object({
    temporal: z.object({
      namespace: z.string(),
      web_ui_url: z
        .string()
        .nullable()
        .openapi({ description: 'The Temporal Web UI; null when this installation has none to link to' }),
    }),
    principal: z.object({
      kind: z.enum(['platform', 'user']),
      account_id: z.number().int().nullable(),
      super_admin: z.boolean(),
      operator: z.boolean().openapi({ description: "The operator's platform token: the operator pages open to it" }),
      scopes: z.array(z.string()).openapi({ description: 'The scopes this token carries' }),
    }),
  })
  .openapi('ConsoleSettings');

/** What the operator console needs beyond the resources: whom the token is, and where workflows are seen. */
export function consoleRoutes({ temporal, webUiUrl }: { temporal: Client; webUiUrl?: string }) {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/console/settings',
      operationId: 'getConsoleSettings',
      summary: 'The Temporal Web UI to link workflows to, and what kind of token this is (any token)',
      security,
      middleware: tokenAccess({ user: 'accounts:read', platform: 'platform:accounts' }),
      responses: { 200: jsonContent(consoleSettings, 'The settings') },
    }),
    (c) => {
      const principal = c.get('principal');
      const own = { scopes: [...principal.scopes].sort() };
      return c.json(
        {
          temporal: { namespace: temporal.options.namespace, web_ui_url: webUiUrl ?? null },
          principal:
            principal.kind === 'platform'
              ? {
                  kind: 'platform' as const,
                  account_id: null,
                  super_admin: false,
                  operator: principal.operator,
                  ...own,
                }
              : principal.kind === 'breakGlass'
                ? { kind: 'user' as const, account_id: null, super_admin: true, operator: false, ...own }
                : {
                    kind: 'user' as const,
                    account_id: principal.accountId,
                    super_admin: false,
                    operator: false,
                    ...own,
                  },
        },
        200,
      );
    },
  );
  return app;
}
