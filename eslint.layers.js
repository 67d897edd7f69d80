/**
 * The dependency order, held by lint (docs/architecture.md):
 *   domain ← enrichment, store ← search, graph, queue, analytics, stream, connectors (ports and adapters) ← indexers ← services ← api, workers ← runtime
 * Each layer lists what it may not import; `typeOnly` folders it may import types from, nothing else.
 */
const folder = (name, except = []) =>
  except.length === 0 ? `(^|/)${name}/` : `(^|/)${name}/(?!(${except.join('|')})\\.js$)`;
const ports = {
  store: folder('store', ['database']),
  search: folder('search', ['search-index', 'query-parser', 'vector-index']),
  graph: folder('graph', ['graph-store']),
  queue: folder('queue', ['job-queue', 'jobs']),
  analytics: folder('analytics', ['analytics-store']),
  stream: folder('stream', ['event-log', 'comment-bus']),
  connectors: folder('connectors', ['connector']),
};
const rule = (layer, forbidden, typeOnly = []) => ({
  files: [`${layer.dir}/**/*.ts`],
  ignores: layer.entry ? [layer.entry].flat() : [],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...forbidden.map((regex) => ({
            regex,
            message: `${layer.dir}/ may not import this (docs/architecture.md)`,
          })),
          ...typeOnly.map((regex) => ({
            regex,
            allowTypeImports: true,
            message: `${layer.dir}/ may import only types from here (docs/architecture.md)`,
          })),
        ],
      },
    ],
  },
});
const above = (...names) => names.map((n) => folder(n));

/** Domain modules the web UI may import: pure, and importing only each other. */
const BROWSER_SAFE = ['permissions', 'tag-phrases', 'entities', 'comment-workflow'];
const domainForbidden = above(
  'enrichment',
  'connectors',
  'store',
  'search',
  'graph',
  'queue',
  'analytics',
  'stream',
  'indexers',
  'services',
  'api',
  'workers',
  'runtime',
);

export const layers = [
  rule({ dir: 'domain' }, domainForbidden),
  rule(
    { dir: 'enrichment' },
    above(
      'connectors',
      'store',
      'search',
      'graph',
      'queue',
      'analytics',
      'stream',
      'indexers',
      'services',
      'api',
      'workers',
      'runtime',
    ),
  ),
  rule(
    { dir: 'store' },
    above(
      'connectors',
      'enrichment',
      'search',
      'graph',
      'queue',
      'analytics',
      'stream',
      'indexers',
      'services',
      'api',
      'workers',
      'runtime',
    ),
  ),
  rule({ dir: 'search' }, [
    ports.store,
    ...above('enrichment', 'graph', 'queue', 'indexers', 'services', 'api', 'workers', 'runtime'),
  ]),
  rule({ dir: 'graph' }, [
    ports.store,
    ...above('enrichment', 'search', 'queue', 'indexers', 'services', 'api', 'workers', 'runtime'),
  ]),
  // The analytics store and the event stream: ports and adapters like the projections'.
  rule({ dir: 'analytics' }, [
    ports.store,
    ...above(
      'enrichment',
      'search',
      'graph',
      'queue',
      'stream',
      'indexers',
      'services',
      'api',
      'workers',
      'runtime',
    ),
  ]),
  rule({ dir: 'stream' }, [
    ports.store,
    ...above(
      'enrichment',
      'search',
      'graph',
      'queue',
      'analytics',
      'indexers',
      'services',
      'api',
      'workers',
      'runtime',
    ),
  ]),
  // Ingress connectors (docs/connectors.md): fetch and parse feeds; of the project, the domain only.
  rule(
    { dir: 'connectors' },
    above(
      'enrichment',
      'store',
      'search',
      'graph',
      'queue',
      'analytics',
      'stream',
      'indexers',
      'services',
      'api',
      'workers',
      'runtime',
    ),
  ),
  rule(
    { dir: 'queue' },
    above('enrichment', 'store', 'search', 'graph', 'indexers', 'services', 'api', 'workers', 'runtime'),
  ),
  rule({ dir: 'indexers' }, [
    folder('connectors'),
    ports.search,
    ports.graph,
    ...above('store', 'queue', 'services', 'api', 'workers', 'runtime'),
  ]),
  // Services are given their repositories in the constructor: of store/ they import types only.
  rule(
    { dir: 'services' },
    [
      ports.search,
      ports.graph,
      ports.queue,
      ports.analytics,
      ports.stream,
      ports.connectors,
      ...above('api', 'workers', 'runtime'),
    ],
    [...above('store'), folder('connectors')],
  ),
  rule(
    { dir: 'api', entry: 'api/server.ts' },
    above('workers', 'runtime'),
    above('store', 'search', 'graph', 'queue', 'analytics', 'stream', 'connectors', 'indexers'),
  ),
  rule(
    { dir: 'workers', entry: ['workers/main.ts', 'workers/worker-process.ts'] },
    above('api', 'runtime'),
    above('store', 'search', 'graph', 'analytics', 'stream', 'connectors', 'indexers'),
  ),
  // The process entry points compose the runtime; they still may not reach into each other.
  { ...rule({ dir: 'api' }, above('workers')), files: ['api/server.ts'] },
  { ...rule({ dir: 'workers' }, above('api')), files: ['workers/main.ts', 'workers/worker-process.ts'] },
  // The web UI is a client of the public API, like any partner. Of the server's code it bundles
  // only the pure domain modules that say what the API says (BROWSER_SAFE), so the two cannot
  // drift apart: the permission matrix, the words of a tag change.
  // Everything above the domain, as for the domain itself.
  rule({ dir: 'ui' }, [folder('domain', BROWSER_SAFE), ...domainForbidden]),
  // What the UI bundles runs in the browser: no Node built-in, no package, nothing but each other.
  {
    ...rule({ dir: 'domain' }, [
      ...domainForbidden,
      '^node:',
      '^[^.]',
      `^\\./(?!(${BROWSER_SAFE.join('|')})\\.js$)`,
    ]),
    files: BROWSER_SAFE.map((name) => `domain/${name}.ts`),
  },
];
