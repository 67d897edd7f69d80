import { useEffect, useMemo, useState } from 'preact/hooks';
import {
  entityPath,
  graphPath,
  parseEntityPath,
  parseGraphPath,
  type EntityKey,
  type GraphCentre,
} from './entity-routes';

/** Hash routes: the server serves one page at /ui, and links keep working after a reload. */
export type Route =
  | { page: 'search'; params: URLSearchParams }
  | { page: 'asset'; id: string; t: number | null }
  | { page: 'jobs'; kind: string | null }
  | { page: 'lifecycle' }
  | { page: 'entity'; entity: EntityKey }
  | { page: 'graph'; centre: GraphCentre }
  | { page: 'tags'; params: URLSearchParams }
  | { page: 'settings-keys' }
  | { page: 'settings-webhooks' }
  | { page: 'imports' }
  | { page: 'saved' }
  | { page: 'controllers' }
  | { page: 'controller'; id: string }
  | { page: 'analytics'; params: URLSearchParams }
  | { page: 'asset-analytics'; id: string; params: URLSearchParams }
  | { page: 'missing'; path: string };

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const at = raw.indexOf('?');
  const path = at < 0 ? raw : raw.slice(0, at);
  const params = new URLSearchParams(at < 0 ? '' : raw.slice(at + 1));
  if (path === '' || path === '/' || path === '/search') return { page: 'search', params };
  if (path === '/jobs') return { page: 'jobs', kind: params.get('kind') };
  if (path === '/lifecycle') return { page: 'lifecycle' };
  if (path === '/tags') return { page: 'tags', params };
  const entity = parseEntityPath(path);
  if (entity) return { page: 'entity', entity };
  const centre = parseGraphPath(path);
  if (centre) return { page: 'graph', centre };
  if (path === '/settings' || path === '/settings/keys') return { page: 'settings-keys' };
  if (path === '/settings/webhooks') return { page: 'settings-webhooks' };
  if (path === '/imports') return { page: 'imports' };
  if (path === '/saved') return { page: 'saved' };
  if (path === '/controllers') return { page: 'controllers' };
  const controller = /^\/controllers\/([0-9a-f-]{36})$/i.exec(path);
  if (controller?.[1]) return { page: 'controller', id: controller[1] };
  if (path === '/analytics') return { page: 'analytics', params };
  const assetAnalytics = /^\/assets\/([0-9a-f-]{36})\/analytics$/i.exec(path);
  if (assetAnalytics?.[1]) return { page: 'asset-analytics', id: assetAnalytics[1], params };
  const asset = /^\/assets\/([0-9a-f-]{36})$/i.exec(path);
  if (asset?.[1]) {
    const t = Number(params.get('t'));
    return { page: 'asset', id: asset[1], t: params.has('t') && Number.isFinite(t) ? t : null };
  }
  return { page: 'missing', path };
}

export const href = {
  search: (params?: URLSearchParams): string => {
    const qs = params?.toString();
    return qs ? `#/search?${qs}` : '#/search';
  },
  asset: (id: string, t?: number): string => `#/assets/${id}${t === undefined ? '' : `?t=${Math.floor(t)}`}`,
  jobs: '#/jobs',
  /** The Jobs page showing one kind of job, e.g. `lifecycle-rules`. */
  jobsOf: (kind: string): string => `#/jobs?kind=${encodeURIComponent(kind)}`,
  lifecycle: '#/lifecycle',
  entity: (e: EntityKey): string => `#${entityPath(e)}`,
  graph: (centre: GraphCentre): string => `#${graphPath(centre)}`,
  tags: (params?: URLSearchParams): string => {
    const qs = params?.toString();
    return qs ? `#/tags?${qs}` : '#/tags';
  },
  settingsKeys: '#/settings/keys',
  settingsWebhooks: '#/settings/webhooks',
  imports: '#/imports',
  saved: '#/saved',
  controllers: '#/controllers',
  controller: (id: string): string => `#/controllers/${id}`,
  analytics: (params?: URLSearchParams): string => {
    const qs = params?.toString();
    return qs ? `#/analytics?${qs}` : '#/analytics';
  },
  assetAnalytics: (id: string, params?: URLSearchParams): string => {
    const qs = params?.toString();
    return `#/assets/${id}/analytics${qs ? `?${qs}` : ''}`;
  },
};

export function useRoute(): Route {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const onChange = () => setHash(location.hash);
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return useMemo(() => parseRoute(hash), [hash]);
}
