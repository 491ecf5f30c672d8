/** Where the Temporal Web UI is and which namespace holds Capstan's workflows, from `/v1/console/settings`. */
export interface Settings {
  temporal: { namespace: string; web_ui_url: string | null };
  principal: {
    kind: 'platform' | 'user';
    account_id: number | null;
    super_admin: boolean;
    operator: boolean;
    scopes: string[];
  };
}

/** The operator's platform token, the one the operator pages answer (an app's platform token acts on its own accounts only). */
export const isOperator = (settings: Settings): boolean =>
  settings.principal.kind === 'platform' && settings.principal.operator;

/** The operator, holding `scope`: a page or action that needs it is shown. */
export const operatorMay = (settings: Settings, scope: string): boolean =>
  isOperator(settings) && settings.principal.scopes.includes(scope);

/** A Web UI list filtered by a visibility query: works for one workflow id as for every run of an account. */
export function webUiLink(settings: Settings, query: string): string | null {
  const { web_ui_url: base, namespace } = settings.temporal;
  if (!base) return null;
  return `${base}/namespaces/${encodeURIComponent(namespace)}/workflows?query=${encodeURIComponent(query)}`;
}

const quoted = (value: string | number) => `"${String(value).replace(/["\\]/g, '\\$&')}"`;

export const byWorkflowId = (id: string) => `WorkflowId = ${quoted(id)}`;
export const byAccount = (accountId: number, type?: string) =>
  `CapstanAccountId = ${quoted(accountId)}${type ? ` AND WorkflowType = ${quoted(type)}` : ''}`;
