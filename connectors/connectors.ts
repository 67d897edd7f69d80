import type { ControllerKind } from '../domain/controllers.js';
import type { Connector, FetchDocument } from './connector.js';
import { jsonFeedConnector } from './json-feed.js';
import { mrssConnector } from './mrss.js';
import { restListingConnector } from './rest-listing.js';

/** One connector per controller kind, all fetching through the one outbound policy. */
export function createConnectors(fetch: FetchDocument): Record<ControllerKind, Connector> {
  return {
    mrss: mrssConnector(fetch),
    'json-feed': jsonFeedConnector(fetch),
    'rest-listing': restListingConnector(fetch),
  };
}
