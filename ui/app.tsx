import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { ApiClient } from './api';
import { AppContextProvider } from './app-context';
import { ApiKeysPage } from './pages/api-keys-page';
import { AssetPage } from './pages/asset-page';
import { EntityPage } from './pages/entity-page';
import { GraphPage } from './pages/graph-page';
import { ImportsPage } from './pages/imports-page';
import { SavedSearchesPage } from './pages/saved-searches-page';
import { WebhooksPage } from './pages/webhooks-page';
import { JobsPage } from './pages/jobs-page';
import { SearchPage } from './pages/search-page';
import { SignInPage } from './pages/sign-in-page';
import { TagsPage } from './pages/tags-page';
import { entityId } from './entity-routes';
import { href, useRoute, type Route } from './router';
import { session } from './session';

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
  const ctx = useMemo(() => ({ api, announce }), [api, announce]);
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
        <nav aria-label="Main">
          <ul>
            <li>
              <a href={href.search()} aria-current={route.page === 'search' ? 'page' : undefined}>
                Search
              </a>
            </li>
            <li>
              <a href={href.tags()} aria-current={route.page === 'tags' ? 'page' : undefined}>
                Tags
              </a>
            </li>
            <li>
              <a href={href.jobs} aria-current={route.page === 'jobs' ? 'page' : undefined}>
                Jobs
              </a>
            </li>
            <li>
              <a href={href.imports} aria-current={route.page === 'imports' ? 'page' : undefined}>
                Imports
              </a>
            </li>
            <li>
              <a href={href.saved} aria-current={route.page === 'saved' ? 'page' : undefined}>
                Saved
              </a>
            </li>
            <li>
              <a
                href={href.settingsKeys}
                aria-current={route.page.startsWith('settings-') ? 'page' : undefined}
              >
                Settings
              </a>
            </li>
          </ul>
        </nav>
        <button type="button" onClick={onSignOut}>
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
      return <JobsPage />;
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
    case 'entity':
      return `entity:${entityId(route.entity)}`;
    case 'graph':
      return `graph:${route.centre.kind === 'asset' ? route.centre.id : entityId(route.centre.entity)}`;
    case 'search':
    case 'jobs':
    case 'tags':
    case 'settings-keys':
    case 'settings-webhooks':
    case 'imports':
    case 'saved':
    case 'missing':
      return route.page;
  }
}
