import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { PERMISSIONS, type CurrentKey, type Permission } from './admin-types';
import { ApiClient } from './api';
import { AppContextProvider, type AppContext } from './app-context';
import { AnalyticsPage } from './pages/analytics-page';
import { ApiKeysPage } from './pages/api-keys-page';
import { AssetAnalyticsPage } from './pages/asset-analytics-page';
import { AssetPage } from './pages/asset-page';
import { ControllerPage } from './pages/controller-page';
import { ControllersPage } from './pages/controllers-page';
import { EntityPage } from './pages/entity-page';
import { GraphPage } from './pages/graph-page';
import { ImportsPage } from './pages/imports-page';
import { SavedSearchesPage } from './pages/saved-searches-page';
import { WebhooksPage } from './pages/webhooks-page';
import { JobsPage } from './pages/jobs-page';
import { LifecycleRulesPage } from './pages/lifecycle-rules-page';
import { SearchPage } from './pages/search-page';
import { SignInPage } from './pages/sign-in-page';
import { TagsPage } from './pages/tags-page';
import { entityId } from './entity-routes';
import { href, useRoute, type Route } from './router';
import { session } from './session';
import { useLoad } from './use-load';

/** Signed out: the sign-in page. Signed in: the shell around the routed page. */
export function App() {
  const [key, setKey] = useState(session.load);
  const [notice, setNotice] = useState<string | null>(null);
  const signOut = useCallback((message: string) => {
    session.clear();
    setKey(null);
    setNotice(message);
  }, []);
  const api = useMemo(
    () =>
      key
        ? new ApiClient(key, () => signOut('The service no longer accepts this API key. Sign in again.'))
        : null,
    [key],
  );

  if (!api) {
    return (
      <SignInPage
        notice={notice}
        onSignedIn={(k) => {
          session.save(k);
          setNotice(null);
          setKey(k);
        }}
      />
    );
  }
  return <Shell api={api} onSignOut={() => signOut('You are signed out.')} />;
}

function Shell({ api, onSignOut }: { api: ApiClient; onSignOut: () => void }) {
  const route = useRoute();
  const [status, setStatus] = useState<{ id: number; text: string } | null>(null);
  // A new element per message, so the live region announces a message even when it repeats; an empty
  // message clears the last one (an error page must not keep the last search's count).
  const announce = useCallback(
    (text: string) => setStatus((s) => (text ? { id: (s?.id ?? 0) + 1, text } : null)),
    [],
  );
  // Who the key is and what it may do, asked once: pages offer what it may do, the API still decides.
  const current = useLoad((signal) => api.get<CurrentKey>('/v1/me', { signal }), [api]);
  const me = useMemo(
    () => ({ key: current.data ?? null, error: current.error !== undefined }),
    [current.data, current.error],
  );
  const ctx = useMemo(() => ({ api, announce, me }), [api, announce, me]);
  // A message belongs to the page that said it.
  const page = pageKey(route);
  useEffect(() => setStatus(null), [page]);

  return (
    <AppContextProvider.Provider value={ctx}>
      <a class="skip-link" href="#content" onClick={skipToContent}>
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href={href.search()}>
          Media discovery
        </a>
        <MainNav route={route} me={me} />
        <button type="button" class="sign-out" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main id="content" tabIndex={-1}>
        <RoutedPage route={route} />
      </main>
      <div role="status" aria-live="polite" class="live-status">
        {status && <p key={status.id}>{status.text}</p>}
      </div>
    </AppContextProvider.Provider>
  );
}

/** Each top link and the permissions that open its page (any one of them). */
const NAV: {
  label: string;
  href: (p: Permission[]) => string;
  current: (r: Route) => boolean;
  needs: Permission[];
}[] = [
  { label: 'Search', href: () => href.search(), current: (r) => r.page === 'search', needs: ['search:read'] },
  { label: 'Tags', href: () => href.tags(), current: (r) => r.page === 'tags', needs: ['search:read'] },
  { label: 'Jobs', href: () => href.jobs, current: (r) => r.page === 'jobs', needs: ['assets:read'] },
  {
    label: 'Imports',
    href: () => href.imports,
    current: (r) => r.page === 'imports',
    needs: ['assets:read'],
  },
  { label: 'Saved', href: () => href.saved, current: (r) => r.page === 'saved', needs: ['search:read'] },
  {
    label: 'Controllers',
    href: () => href.controllers,
    current: (r) => r.page === 'controllers' || r.page === 'controller',
    needs: ['workflows:manage'],
  },
  {
    label: 'Lifecycle',
    href: () => href.lifecycle,
    current: (r) => r.page === 'lifecycle',
    needs: ['workflows:manage'],
  },
  {
    label: 'Analytics',
    href: () => href.analytics(),
    current: (r) => r.page === 'analytics',
    needs: ['metrics:read'],
  },
  {
    label: 'Settings',
    // The settings page the key may use: webhooks for a key that may not manage keys.
    href: (held) => (held.includes('keys:manage') ? href.settingsKeys : href.settingsWebhooks),
    current: (r) => r.page.startsWith('settings-'),
    needs: ['keys:manage', 'webhooks:manage'],
  },
];

/**
 * The main navigation: only the pages the key may use (GET /v1/me; all of them if it could not
 * say, for the API to decide). Narrower than 40rem the links fold behind a "Menu" button.
 */
function MainNav({ route, me }: { route: Route; me: AppContext['me'] }) {
  // Open on the page it was opened on: a link followed (a new page) closes it, in the same render.
  const page = pageKey(route);
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === page;
  const setOpen = (o: boolean) => setOpenOn(o ? page : null);
  const toggle = useRef<HTMLButtonElement>(null);
  const held = me.key?.permissions ?? (me.error ? [...PERMISSIONS] : []);
  const links = NAV.filter((l) => l.needs.some((p) => held.includes(p)));
  const close = () => {
    setOpen(false);
    toggle.current?.focus();
  };
  return (
    <>
      <button
        type="button"
        class="menu-toggle"
        ref={toggle}
        aria-expanded={open}
        aria-controls="main-nav"
        onClick={() => setOpen(!open)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && open) close();
        }}
      >
        Menu
      </button>
      <nav
        id="main-nav"
        aria-label="Main"
        class={open ? 'open' : undefined}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && open) close();
        }}
      >
        <ul>
          {links.map((l) => (
            <li key={l.label}>
              <a href={l.href(held)} aria-current={l.current(route) ? 'page' : undefined}>
                {l.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
    </>
  );
}

/** The skip link moves focus without touching the hash, which holds the route. */
function skipToContent(e: MouseEvent) {
  e.preventDefault();
  document.getElementById('content')?.focus();
}

function RoutedPage({ route }: { route: Route }) {
  switch (route.page) {
    case 'search':
      return <SearchPage params={route.params} />;
    case 'asset':
      return <AssetPage key={route.id} id={route.id} t={route.t} />;
    case 'jobs':
      return <JobsPage key={route.kind ?? ''} kind={route.kind} />;
    case 'lifecycle':
      return <LifecycleRulesPage />;
    case 'entity':
      return <EntityPage key={pageKey(route)} entity={route.entity} />;
    case 'graph':
      return <GraphPage key={pageKey(route)} centre={route.centre} />;
    case 'tags':
      return <TagsPage params={route.params} />;
    case 'settings-keys':
      return <ApiKeysPage />;
    case 'settings-webhooks':
      return <WebhooksPage />;
    case 'imports':
      return <ImportsPage />;
    case 'saved':
      return <SavedSearchesPage />;
    case 'controllers':
      return <ControllersPage />;
    case 'controller':
      return <ControllerPage key={route.id} id={route.id} />;
    case 'analytics':
      return <AnalyticsPage params={route.params} />;
    case 'asset-analytics':
      return <AssetAnalyticsPage key={route.id} id={route.id} params={route.params} />;
    case 'missing':
      return (
        <>
          <h1>Not found</h1>
          <p>
            Nothing lives at <code>{route.path}</code>. <a href={href.search()}>Go to search</a>.
          </p>
        </>
      );
  }
}

/** One key per page shown: a new entity or graph centre is a new page (fresh state, focus on its heading). */
function pageKey(route: Route): string {
  switch (route.page) {
    case 'asset':
      return `asset:${route.id}`;
    case 'asset-analytics':
      return `asset-analytics:${route.id}`;
    case 'controller':
      return `controller:${route.id}`;
    case 'entity':
      return `entity:${entityId(route.entity)}`;
    case 'graph':
      return `graph:${route.centre.kind === 'asset' ? route.centre.id : entityId(route.centre.entity)}`;
    case 'search':
    case 'jobs':
    case 'lifecycle':
    case 'tags':
    case 'settings-keys':
    case 'settings-webhooks':
    case 'imports':
    case 'saved':
    case 'controllers':
    case 'analytics':
    case 'missing':
      return route.page;
  }
}
