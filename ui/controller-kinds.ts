/**
 * The controllers screens' shapes of the /v1 API (openapi.json: Controller, ControllerRun) and the
 * kinds the UI can create, each with the fields of its configuration. Adding a kind is one entry in
 * `CONTROLLER_KINDS`: the form, its labels and what it sends follow from it. The API checks every
 * configuration against its kind (domain/controllers.ts) and names a refused field, shown beside it.
 */

export const LOGGING_LEVELS = ['critical', 'error', 'warning', 'info'] as const;
export type LoggingLevel = (typeof LOGGING_LEVELS)[number];

export const WHEN_GONE = ['keep', 'archive', 'delete'] as const;
export type WhenGone = (typeof WHEN_GONE)[number];

/** The most minutes between two syncs the API takes (a week). */
export const MAX_SYNC_INTERVAL_MINUTES = 10_080;
export const DEFAULT_SYNC_INTERVAL_MINUTES = 15;

export interface Controller {
  id: string;
  name: string;
  /** A kind this UI may not know yet (a newer server): shown by its name. */
  kind: string;
  direction: string;
  configuration: Record<string, unknown>;
  sourceSystem: string;
  syncIntervalMinutes: number;
  loggingLevel: LoggingLevel;
  enabled: boolean;
  health: 'unknown' | 'healthy' | 'unhealthy';
  lastSyncAt: string | null;
  lastRunAt: string | null;
  lastError: string | null;
  syncing: boolean;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface RunCounts {
  new: number;
  updated: number;
  unchanged: number;
  failed: number;
  gone: number;
  archived: number;
  deleted: number;
}

export interface ControllerRun {
  id: string;
  controllerId: string;
  trigger: 'schedule' | 'manual';
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'INTERRUPTED';
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  fetchMs: number | null;
  notModified: boolean;
  pages: number;
  counts: RunCounts;
  error: string | null;
  failures: { sourceId: string; error: string }[];
}

/** One field of a kind's configuration, as the form asks for it. */
export interface KindField {
  /** The configuration's property, also the API's field name after `configuration.`. */
  name: string;
  label: string;
  type: 'url' | 'text' | 'number' | 'select';
  hint?: string;
  required?: boolean;
  /** Said after the label in the form: the API has a default for it. */
  optional?: boolean;
  placeholder?: string;
  /** The value the form starts with; an optional field left empty is not sent (the API's default). */
  initial?: string;
  options?: readonly { value: string; label: string }[];
  min?: number;
  max?: number;
}

export interface ControllerKind {
  kind: string;
  label: string;
  description: string;
  fields: readonly KindField[];
}

const url = (placeholder: string): KindField => ({
  name: 'url',
  label: 'Feed URL',
  type: 'url',
  required: true,
  placeholder,
  hint: 'http or https, without credentials.',
});

const sourceSystem: KindField = {
  name: 'sourceSystem',
  label: 'Source system',
  optional: true,
  type: 'text',
  hint: 'Names the assets’ source; by default the kind and the feed’s host.',
};

export const WHEN_GONE_FIELD: KindField = {
  name: 'whenGone',
  label: 'When an item leaves the feed',
  type: 'select',
  initial: 'keep',
  options: [
    { value: 'keep', label: 'Keep its asset' },
    { value: 'archive', label: 'Archive its asset' },
    { value: 'delete', label: 'Delete its asset' },
  ],
};

const maxPages: KindField = {
  name: 'maxPages',
  label: 'Pages read at most per sync',
  optional: true,
  type: 'number',
  min: 1,
  max: 1000,
  placeholder: '100',
};

const text = (name: string, label: string, placeholder: string, hint: string): KindField => ({
  name,
  label,
  type: 'text',
  optional: true,
  placeholder,
  hint,
});

/** The kinds a tenant can add here, in the order offered. */
export const CONTROLLER_KINDS: readonly ControllerKind[] = [
  {
    kind: 'mrss',
    label: 'Media RSS feed',
    description: 'An RSS 2.0 feed with Media RSS elements (media:content, media:thumbnail, media:credit).',
    fields: [url('https://videos.example.com/feed.rss'), sourceSystem, WHEN_GONE_FIELD],
  },
  {
    kind: 'json-feed',
    label: 'JSON Feed',
    description: 'A JSON Feed 1.1, paged by next_url.',
    fields: [url('https://podcasts.example.com/feed.json'), sourceSystem, maxPages, WHEN_GONE_FIELD],
  },
  {
    kind: 'rest-listing',
    label: 'REST listing',
    description: 'A JSON listing of assets paged by cursor.',
    fields: [
      url('https://cms.example.com/api/assets'),
      sourceSystem,
      maxPages,
      WHEN_GONE_FIELD,
      text('itemsField', 'Items field', 'items', 'The field of a page holding its items.'),
      text('nextCursorField', 'Next cursor field', 'nextCursor', 'The field holding the next page’s cursor.'),
      text('cursorParam', 'Cursor parameter', 'cursor', 'The query parameter the cursor goes in.'),
    ],
  },
];

export function kindOf(kind: string): ControllerKind | undefined {
  return CONTROLLER_KINDS.find((k) => k.kind === kind);
}

/** "mrss" → "Media RSS feed"; a kind this UI does not know by its own name. */
export function kindLabel(kind: string): string {
  return kindOf(kind)?.label ?? kind;
}

/**
 * A controller's configuration in words, for its page: the kind's fields by their labels (an option
 * by its words), or, for a kind this UI does not know, each property as the API names it.
 */
export function configurationRows(c: Pick<Controller, 'kind' | 'configuration'>): [string, string][] {
  const text = (v: unknown): string =>
    typeof v === 'string' ? v : v === undefined || v === null ? '—' : JSON.stringify(v);
  const kind = kindOf(c.kind);
  if (!kind) return Object.entries(c.configuration).map(([k, v]) => [k, text(v)]);
  return kind.fields.map((f) => {
    const v = c.configuration[f.name];
    return [f.label, f.options?.find((o) => o.value === v)?.label ?? text(v)];
  });
}

/** The form's values of a kind's fields as the configuration the API takes. */
export function toConfiguration(kind: ControllerKind, values: Record<string, string>) {
  const configuration: Record<string, string | number> = {};
  for (const f of kind.fields) {
    const value = (values[f.name] ?? '').trim();
    if (value === '') continue;
    configuration[f.name] = f.type === 'number' && /^-?\d+$/.test(value) ? Number(value) : value;
  }
  return configuration;
}

/** The values a kind's form starts with. */
export function initialValues(kind: ControllerKind): Record<string, string> {
  return Object.fromEntries(kind.fields.map((f) => [f.name, f.initial ?? '']));
}

/** 15 → "every 15 min", 120 → "every 2 h", 90 → "every 1 h 30 min". */
export function formatInterval(minutes: number): string {
  if (minutes < 60) return `every ${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `every ${h} h${m ? ` ${m} min` : ''}`;
}

/** 1234 → "1.2 s", 85 → "85 ms", 125000 → "2 min 5 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}
