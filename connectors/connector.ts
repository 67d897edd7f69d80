import type { EgressConfig, IngressConfig } from '../domain/controllers.js';
import type { EgressRecord } from '../domain/egress-record.js';

/**
 * The port an ingress controller reads its source through (docs/connectors.md). A connector fetches
 * and parses one page of a feed into items; what becomes of them (new, updated, unchanged, gone) is
 * the controller service's business, the same for every kind.
 */

/** One item of a feed: its id in the source, and the asset it describes, not yet validated. */
export interface FeedItem {
  sourceId: string;
  /** The source says the item is gone (a listing of changes). */
  deleted?: boolean;
  /** Fields of an asset input (domain/asset.ts), without sourceSystem and sourceId. */
  asset: Record<string, unknown>;
  /**
   * The SHA-256 of the item's content, when the connector read it (a watched folder's file): the
   * asset's file hash, by which the ingest de-duplicates. Absent: one derived from the item's source.
   */
  fileHash?: string;
  /** A watched folder's file as hashed: remembered so an unchanged file is not hashed again. */
  file?: KnownFile;
  /** The item could not be read (a sidecar too large, not JSON): a failed item of the run. */
  error?: string;
}

/** A file as last hashed: the same size and modification time mean the same hash. */
export interface KnownFile {
  size: number;
  mtimeMs: number;
  sha256: string;
}

export interface PageRequest {
  /** Undefined for the first page: where the next page is, as the page before said (a URL or a cursor). */
  next?: string | undefined;
  /** Validators of the first page from the sync before: a conditional request. */
  etag?: string | undefined;
  lastModified?: string | undefined;
  /** A watched folder's files as the sync before hashed them, by source id (`readsFiles`). */
  knownFiles?: ReadonlyMap<string, KnownFile> | undefined;
  /** The controller's tenant: a folder kind reads only under the tenant's own folder. */
  tenantId?: string | undefined;
}

export interface FeedPage {
  /** The source answered 304: nothing changed since the validators sent. */
  notModified: boolean;
  items: FeedItem[];
  /** Where the page after this one is; undefined on the last page. */
  next?: string | undefined;
  etag?: string | undefined;
  lastModified?: string | undefined;
}

export interface Connector {
  /**
   * `snapshot`: every sync reads the whole feed, so an item missing from a complete sync has left
   * it. `changes`: a listing paged with a cursor that the controller keeps between syncs; an item
   * that left says so (`deleted`).
   */
  readonly mode: 'snapshot' | 'changes';
  /** Reads files: the controller passes the files it hashed before (`knownFiles`). */
  readonly readsFiles?: boolean;
  fetchPage(config: IngressConfig, request: PageRequest): Promise<FeedPage>;
}

/**
 * Folders under the service's controller folder root (CONTROLLER_FOLDER_ROOT), each tenant's under
 * `<root>/<tenant id>/`: the only place the folder kinds may read or write.
 */
export interface FolderAccess {
  /** Whether the service has a root; without one the folder kinds are refused. */
  readonly configured: boolean;
  /**
   * The real path of a folder given relative to the tenant's folder under the root, symbolic links
   * resolved; throws `FolderError` when there is no root, or the folder is missing, not a folder,
   * or lies outside the tenant's folder.
   */
  resolve(tenantId: string, relative: string): Promise<string>;
}

export class FolderError extends Error {
  override name = 'FolderError';
  constructor(
    message: string,
    readonly reason: 'unconfigured' | 'missing' | 'outside' | 'not-a-folder',
  ) {
    super(message);
  }
}

/** One batch an egress controller sends: its id is the same on every attempt (`webhook-id`). */
export interface EgressBatch {
  id: string;
  controllerId: string;
  records: EgressRecord[];
}

/**
 * Where an egress controller sends its batches: a partner's endpoint, a folder. `deliver` resolves
 * once the whole batch is acknowledged (a 2xx) or written, and throws otherwise: the controller's
 * cursor moves past a batch only when it resolved.
 */
export interface EgressTarget {
  deliver(
    config: EgressConfig,
    batch: EgressBatch,
    /** `secrets`: a partner push's signing secrets, the current one first (docs/connectors.md). */
    context: { tenantId: string; secrets?: readonly string[] | undefined },
  ): Promise<void>;
}

/** POSTs one signed request; never throws (the webhook sender, under its outbound policy). */
export type PostSigned = (
  url: string,
  headers: Record<string, string>,
  body: string,
) => Promise<{ ok: boolean; statusCode: number | null; error: string | null }>;

/** The source could not be read, or what it sent is not a feed of its kind. */
export class ConnectorError extends Error {
  override name = 'ConnectorError';
}

/** What a conditional GET answered. */
export type FetchedDocument =
  | { status: 304 }
  | { status: 200; body: string; contentType: string | undefined; etag?: string; lastModified?: string };

/** A conditional GET of a document, within the service's outbound policy (connectors/http-fetch.ts). */
export type FetchDocument = (
  url: string,
  validators: { etag?: string | undefined; lastModified?: string | undefined },
) => Promise<FetchedDocument>;
