import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import './styles.css';
import { api, ApiError, openCodecSession, session } from './api.ts';
import { SettingsContext } from './components.tsx';
import { Accounts } from './pages/accounts.tsx';
import { AssetBuilds } from './pages/assets.tsx';
import { Breakers } from './pages/breakers.tsx';
import { DeadLetters } from './pages/dead-letters.tsx';
import { Schedules } from './pages/schedules.tsx';
import { Triage } from './pages/triage.tsx';
import { Conversations } from './pages/conversations.tsx';
import { Delivery } from './pages/delivery.tsx';
import { Deploys } from './pages/deploys.tsx';
import { LicencePage } from './pages/licence.tsx';
import { Members } from './pages/members.tsx';
import { Messages } from './pages/messages.tsx';
import { SignIn } from './pages/signin.tsx';
import { Webhooks } from './pages/webhooks.tsx';
import { go, operatorPages, useRoute, type OperatorPage, type Route } from './router.ts';
import { operatorMay, type Settings } from './workflows.ts';

function Console() {
  const route = useRoute();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [checked, setChecked] = useState(!session.token());

  // A token kept from earlier in this tab is checked once; a refused one signs out.
  useEffect(() => {
    if (!session.token()) return;
    api<Settings>('GET', '/v1/console/settings').then(
      (answer) => {
        if (answer.principal.kind === 'platform') openCodecSession(session.token()!);
        setSettings(answer);
      },
      (err: unknown) => {
        if (err instanceof ApiError && err.status === 401) session.signOut();
        setChecked(true);
      },
    );
  }, []);

  if (!settings) {
    if (!checked) return <p class="muted">Loading…</p>;
    return (
      <main id="main">
        <SignIn
          onSignedIn={(token, answer) => {
            session.signIn(token);
            if (answer.principal.kind === 'platform') openCodecSession(token);
            setSettings(answer);
            if (route.page === 'signin') go('/accounts');
          }}
        />
      </main>
    );
  }

  const signOut = () => {
    session.signOut();
    setSettings(null);
    setChecked(true);
    go('/signin');
  };
  return (
    <SettingsContext.Provider value={settings}>
      <a
        class="skip"
        href="#main"
        onClick={(e) => (e.preventDefault(), document.getElementById('page-title')?.focus())}
      >
        Skip to content
      </a>
      <header>
        <span class="brand">Capstan</span>
        <nav aria-label="Sections">
          <a href="#/accounts" aria-current={section(route) === 'accounts' ? 'page' : undefined}>
            Accounts
          </a>
          {operatorMay(settings, 'platform:licence') && (
            <a href="#/licence" aria-current={section(route) === 'licence' ? 'page' : undefined}>
              Licence
            </a>
          )}
          {operatorMay(settings, 'platform:deploys') && (
            <a href="#/deploys" aria-current={section(route) === 'deploys' ? 'page' : undefined}>
              Deploys
            </a>
          )}
          {(Object.keys(operatorPages) as OperatorPage[])
            .filter((page) => operatorMay(settings, operatorPages[page].scope))
            .map((page) => (
              <a key={page} href={`#/${page}`} aria-current={section(route) === page ? 'page' : undefined}>
                {operatorPages[page].label}
              </a>
            ))}
          <button type="button" class="link" onClick={signOut}>
            Sign out
          </button>
        </nav>
      </header>
      <main id="main">
        <Screen route={route} />
      </main>
    </SettingsContext.Provider>
  );
}

function section(route: Route): string {
  return route.page === 'licence' || route.page === 'deploys' || route.page in operatorPages ? route.page : 'accounts';
}

function Screen({ route }: { route: Route }) {
  switch (route.page) {
    case 'signin':
    case 'accounts':
      return <Accounts />;
    case 'members':
      return <Members accountId={route.accountId} />;
    case 'conversations':
      return <Conversations accountId={route.accountId} />;
    case 'messages':
      return <Messages accountId={route.accountId} displayId={route.displayId} />;
    case 'webhooks':
      return <Webhooks accountId={route.accountId} />;
    case 'delivery':
      return <Delivery accountId={route.accountId} webhookId={route.webhookId} deliveryId={route.deliveryId} />;
    case 'licence':
      return <LicencePage />;
    case 'deploys':
      return <Deploys />;
    case 'dead-letters':
      return <DeadLetters />;
    case 'breakers':
      return <Breakers />;
    case 'schedules':
      return <Schedules />;
    case 'triage':
      return <Triage />;
    case 'assets':
      return <AssetBuilds />;
    case 'notFound':
      return (
        <p role="alert">
          Nothing at {route.path}. <a href="#/accounts">Go to the accounts</a>.
        </p>
      );
    default: {
      const unknown: never = route;
      return unknown;
    }
  }
}

render(<Console />, document.getElementById('app')!);
