import type { ControllerConfig } from '../domain/controllers.js';

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
}

export interface PageRequest {
  /** Undefined for the first page: where the next page is, as the page before said (a URL or a cursor). */
  next?: string | undefined;
  /** Validators of the first page from the sync before: a conditional request. */
  etag?: string | undefined;
  lastModified?: string | undefined;
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
  fetchPage(config: ControllerConfig, request: PageRequest): Promise<FeedPage>;
}

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
