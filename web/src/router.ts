import { useEffect, useState } from 'preact/hooks';

/** Hash routes (`#/accounts/3/members`): the console works wherever its shell is served, with no server routes. */
export type Route =
  | { page: 'signin' }
  | { page: 'accounts' }
  | { page: 'members'; accountId: number }
  | { page: 'conversations'; accountId: number }
  | { page: 'messages'; accountId: number; displayId: number }
  | { page: 'webhooks'; accountId: number }
  | { page: 'delivery'; accountId: number; webhookId: number; deliveryId: string }
  | { page: 'licence' }
  | { page: 'deploys' }
  | { page: OperatorPage }
  | { page: 'notFound'; path: string };

/** The operator's pages, each one path segment (`#/breakers`) and the scope its reads need. */
export const operatorPages = {
  'dead-letters': { label: 'Dead letters', scope: 'platform:failures' },
  breakers: { label: 'Breakers', scope: 'platform:failures' },
  schedules: { label: 'Schedules', scope: 'platform:schedules' },
  triage: { label: 'Triage', scope: 'platform:admin' },
  assets: { label: 'Assets', scope: 'platform:assets' },
} as const;
export type OperatorPage = keyof typeof operatorPages;
const isOperatorPage = (name: string | undefined): name is OperatorPage =>
  name !== undefined && Object.hasOwn(operatorPages, name);

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/accounts';
  const parts = path.split('/').filter(Boolean);
  const [first, id, section, sub, nested, leaf] = parts;
  const accountId = Number(id);
  if (first === 'signin') return { page: 'signin' };
  if (first === 'licence') return { page: 'licence' };
  if (first === 'deploys') return { page: 'deploys' };
  if (isOperatorPage(first) && parts.length === 1) return { page: first };
  if (first === 'accounts' && parts.length === 1) return { page: 'accounts' };
  if (first === 'accounts' && Number.isSafeInteger(accountId)) {
    if (section === 'members' && parts.length === 3) return { page: 'members', accountId };
    if (section === 'conversations' && parts.length === 3) return { page: 'conversations', accountId };
    if (section === 'conversations' && parts.length === 4)
      return { page: 'messages', accountId, displayId: Number(sub) };
    if (section === 'webhooks' && parts.length === 3) return { page: 'webhooks', accountId };
    if (section === 'webhooks' && nested === 'deliveries' && leaf)
      return { page: 'delivery', accountId, webhookId: Number(sub), deliveryId: leaf };
  }
  return { page: 'notFound', path };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export function go(path: string): void {
  location.hash = path;
}
