import type { EgressKind, IngressKind } from '../domain/controllers.js';
import type { Connector, EgressTarget, FetchDocument, FolderAccess, PostSigned } from './connector.js';
import { jsonFeedConnector } from './json-feed.js';
import { mrssConnector } from './mrss.js';
import { partnerPushTarget } from './partner-push.js';
import { restListingConnector } from './rest-listing.js';
import { sidecarFolderTarget } from './sidecar-folder.js';
import { watchedFolderConnector } from './watched-folder.js';

/** One connector per ingress kind: the feeds fetching through the one outbound policy. */
export function createConnectors(
  fetch: FetchDocument,
  folders: FolderAccess,
): Record<IngressKind, Connector> {
  return {
    mrss: mrssConnector(fetch),
    'json-feed': jsonFeedConnector(fetch),
    'rest-listing': restListingConnector(fetch),
    'watched-folder': watchedFolderConnector(folders),
  };
}

/** One target per egress kind: a partner's endpoint under the webhooks' sender, a folder. */
export function createEgressTargets(
  post: PostSigned,
  folders: FolderAccess,
  options: { retryDelayMs: number },
): Record<EgressKind, EgressTarget> {
  return {
    'partner-push': partnerPushTarget({ post, retryDelayMs: options.retryDelayMs }),
    'sidecar-folder': sidecarFolderTarget(folders),
  };
}
