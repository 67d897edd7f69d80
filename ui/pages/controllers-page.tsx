import { useEffect } from 'preact/hooks';
import { useApp } from '../app-context';
import { kindLabel, formatInterval, type Controller } from '../controller-kinds';
import { ControllerEnabled, ControllerHealth, pollDelay } from '../components/controller-health';
import { ErrorMessage } from '../components/error-message';
import { Loading } from '../components/loading';
import { NewControllerForm } from '../components/new-controller-form';
import { PageHeading } from '../components/page-heading';
import { RelativeTime } from '../components/relative-time';
import { href } from '../router';
import { useLoad } from '../use-load';
import { useCan } from '../use-permission';

/** Why a key sees no controllers: reading them takes the same permission as managing them. */
export function NoControllersPermission() {
  return (
    <p role="alert" class="error">
      This API key may not see or manage controllers: that needs the workflows:manage permission, which only
      the ADMIN role holds. Ask an administrator.
    </p>
  );
}

/**
 * The tenant's ingress controllers (docs/connectors.md): each one's kind, state, health and last
 * sync, polled while one syncs or waits for its first run; and a form to add one. A controller's
 * settings and runs are on its own page.
 */
export function ControllersPage() {
  const can = useCan('workflows:manage');
  return (
    <>
      <PageHeading>Controllers</PageHeading>
      <p class="hint">
        Feeds the library pulls assets from on a schedule: Media RSS, JSON Feed or a REST listing.
      </p>
      {can === undefined && <Loading />}
      {can === false && <NoControllersPermission />}
      {can && <ControllersList />}
    </>
  );
}

function ControllersList() {
  const { api } = useApp();
  const list = useLoad((signal) => api.get<{ items: Controller[] }>('/v1/controllers', { signal }), []);
  const items = list.data?.items;

  useEffect(() => {
    if (!items && !list.error) return;
    const timer = setTimeout(list.reload, items ? pollDelay(items) : 15_000);
    return () => clearTimeout(timer);
  }, [items, list.error]);

  if (list.error?.status === 403) return <NoControllersPermission />;
  return (
    <>
      <h2 id="controllers-title">Controllers of this library</h2>
      {/* A failed poll keeps no stale list: the API's words instead, and the next poll tries again. */}
      <ErrorMessage error={list.error} />
      {!items && !list.error && <Loading />}
      {items && !list.error && items.length === 0 && <p>No controllers yet: add one below.</p>}
      {items && !list.error && items.length > 0 && <ControllersTable items={items} />}
      <NewControllerForm onCreated={list.reload} />
    </>
  );
}

function ControllersTable({ items }: { items: Controller[] }) {
  return (
    <table class="stack controllers" aria-labelledby="controllers-title">
      <thead>
        <tr>
          <th scope="col">Controller</th>
          <th scope="col">State</th>
          <th scope="col">Health</th>
          <th scope="col">Last sync</th>
          <th scope="col">Interval</th>
          <th scope="col">Logging</th>
        </tr>
      </thead>
      <tbody>
        {items.map((c) => (
          <tr key={c.id}>
            <th scope="row">
              <a href={href.controller(c.id)}>{c.name}</a> <span class="kind">{kindLabel(c.kind)}</span>
            </th>
            <td data-label="State">
              <ControllerEnabled c={c} />
            </td>
            <td data-label="Health">
              <ControllerHealth c={c} />
            </td>
            <td data-label="Last sync">{c.lastSyncAt ? <RelativeTime iso={c.lastSyncAt} /> : 'never'}</td>
            <td data-label="Interval">{formatInterval(c.syncIntervalMinutes)}</td>
            <td data-label="Logging">{c.loggingLevel}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
