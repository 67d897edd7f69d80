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

export const DIRECTIONS = ['ingress', 'egress'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export interface Controller {
  id: string;
  name: string;
  /** A kind this UI may not know yet (a newer server): shown by its name. */
  kind: string;
  /** `ingress` pulls assets in, `egress` pushes their enrichment out (a newer server may add one). */
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

/** What `POST /v1/controllers` answers: a partner push's signing secret this once. */
export interface NewControllerResult extends Controller {
  secret?: string;
}

export interface RunCounts {
  new: number;
  updated: number;
  unchanged: number;
  failed: number;
  gone: number;
  archived: number;
  deleted: number;
  /** Egress: records a partner acknowledged. */
  pushed: number;
  /** Egress: sidecar files written or removed. */
  written: number;
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
  /** Longest text the API takes (text fields; 100 when not said). */
  maxLength?: number;
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
  direction: Direction;
  label: string;
  description: string;
  fields: readonly KindField[];
  /** The run counts its history shows, in order: an egress run counts no new or updated assets. */
  counts: readonly (keyof RunCounts)[];
  /** Its creation answers a signing secret, shown once. */
  secret?: boolean;
}

const INGRESS_COUNTS = ['new', 'updated', 'unchanged', 'failed', 'archived', 'deleted'] as const;

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

const number = (name: string, label: string, min: number, max: number, byDefault: number): KindField => ({
  name,
  label,
  type: 'number',
  optional: true,
  min,
  max,
  placeholder: String(byDefault),
});

/** A folder under the service's CONTROLLER_FOLDER_ROOT, in the tenant's own folder there. */
const folder = (label: string, placeholder: string, hint: string): KindField => ({
  name: 'path',
  label,
  type: 'text',
  required: true,
  maxLength: 1024,
  placeholder,
  hint: `${hint} Relative to this library’s folder under the service’s controller folder root: no leading /, no “..”.`,
});

const batchSize = number('batchSize', 'Assets per batch', 1, 500, 100);
const maxBatches = number('maxBatches', 'Batches sent at most per sync', 1, 1000, 50);

/** The kinds a tenant can add here, in the order offered. */
export const CONTROLLER_KINDS: readonly ControllerKind[] = [
  {
    kind: 'mrss',
    direction: 'ingress',
    label: 'Media RSS feed',
    description: 'An RSS 2.0 feed with Media RSS elements (media:content, media:thumbnail, media:credit).',
    fields: [url('https://videos.example.com/feed.rss'), sourceSystem, WHEN_GONE_FIELD],
    counts: INGRESS_COUNTS,
  },
  {
    kind: 'json-feed',
    direction: 'ingress',
    label: 'JSON Feed',
    description: 'A JSON Feed 1.1, paged by next_url.',
    fields: [url('https://podcasts.example.com/feed.json'), sourceSystem, maxPages, WHEN_GONE_FIELD],
    counts: INGRESS_COUNTS,
  },
  {
    kind: 'rest-listing',
    direction: 'ingress',
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
    counts: INGRESS_COUNTS,
  },
  {
    kind: 'watched-folder',
    direction: 'ingress',
    label: 'Watched folder',
    description:
      'A folder of media files, each with an optional JSON sidecar beside it (clip.mp4 and clip.json), read whole at every sync.',
    fields: [
      folder('Folder', 'partners/acme/inbox', 'The folder whose media files become assets.'),
      {
        ...sourceSystem,
        hint: 'Names the assets’ source; by default “watched-folder:” and the folder.',
      },
      WHEN_GONE_FIELD,
      number('maxFiles', 'Media files read at most per sync', 1, 10_000, 1000),
      number('maxSidecarBytes', 'Largest sidecar read (bytes)', 256, 1_048_576, 65_536),
    ],
    counts: INGRESS_COUNTS,
  },
  {
    kind: 'partner-push',
    direction: 'egress',
    label: 'Partner push',
    description:
      'Sends the enrichment of changed assets to a partner’s endpoint in signed batches; its signing secret is shown once, when it is added.',
    fields: [
      {
        name: 'url',
        label: 'Partner endpoint URL',
        type: 'url',
        required: true,
        placeholder: 'https://partner.example.com/hooks/enrichment',
        hint: 'http or https, without credentials. Each batch is POSTed here, signed as webhooks are.',
      },
      batchSize,
      maxBatches,
      number('attempts', 'Attempts per batch', 1, 5, 3),
    ],
    counts: ['pushed', 'failed'],
    secret: true,
  },
  {
    kind: 'sidecar-folder',
    direction: 'egress',
    label: 'Sidecar folder',
    description:
      'Writes the enrichment of changed assets as <asset id>.json files into a folder; a deleted or archived asset’s file is removed.',
    fields: [
      folder('Folder', 'exports/sidecars', 'The folder the sidecar files are written to; it must exist.'),
      batchSize,
      maxBatches,
    ],
    counts: ['written', 'failed'],
  },
];

export function kindOf(kind: string): ControllerKind | undefined {
  return CONTROLLER_KINDS.find((k) => k.kind === kind);
}

/**
 * The counts a controller's runs are shown with: its kind's, or for a kind this UI does not know,
 * its direction's (an egress one's delivered records and files, an ingress one's assets).
 */
export function runCounts(c: Pick<Controller, 'kind' | 'direction'>): readonly (keyof RunCounts)[] {
  return (
    kindOf(c.kind)?.counts ?? (c.direction === 'egress' ? ['pushed', 'written', 'failed'] : INGRESS_COUNTS)
  );
}

/** "ingress" → "pulls assets in"; a direction this UI does not know by its own name. */
export function directionLabel(direction: string): string {
  return direction === 'ingress'
    ? 'ingress: pulls assets in'
    : direction === 'egress'
      ? 'egress: pushes enrichment out'
      : direction;
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
export function toConfiguration(kind: Pick<ControllerKind, 'fields'>, values: Record<string, string>) {
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
