/**
 * Generated from openapi/openapi.json by openapi-typescript (npm run openapi:client).
 * Do not edit: a test fails when it differs from what the spec generates.
 */

export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The process is up */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every backend answers: Postgres, the job queue, the search index, the graph and the analytics store
         * @description Each component is `ok`, `degraded` (answered, but slower than READY_SLOW_MS) or `down` (failed, or no answer within READY_TIMEOUT_MS). 200 when all are `ok`, 503 otherwise; the reasons are logged, not sent.
         */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/actions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The tenant's audit trail, newest first
         * @description Every action on the tenant: ingests, enrichment runs, edits, rollbacks, job and settings changes, and requests denied for a missing permission (ACCESS, DENIED). Filter by action type and by when it started.
         */
        get: operations["listActions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's API keys, newest first, with when each was last used */
        get: operations["listApiKeys"];
        put?: never;
        /**
         * Make an API key; its secret is returned this once
         * @description A key never exceeds the key that makes it: every permission of its role and scopes must be the maker's (403 otherwise).
         */
        post: operations["createApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke an API key, effective from the next request
         * @description A key never revokes a key holding a permission it lacks (403), nor the tenant's last ADMIN key (409: only the operator's CLI may).
         */
        delete: operations["revokeApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List assets, newest first */
        get: operations["listAssets"];
        put?: never;
        /**
         * Ingest one asset
         * @description Creates the asset and queues it for enrichment. A fileHash the tenant already has creates nothing: the existing asset comes back with duplicate=true.
         */
        post: operations["ingestAsset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ingest up to 1,000 assets
         * @description All or nothing: one invalid asset rejects the whole batch with a 400 naming it.
         */
        post: operations["ingestAssetBatch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one asset with its enrichment */
        get: operations["getAsset"];
        put?: never;
        post?: never;
        /**
         * Delete an asset, or purge it
         * @description Deletes the asset: it is gone from search, suggestions, related content, the graph and exports once projected, reads of it answer 404, and webhooks get `asset.deleted`. Its row stays as a tombstone (for the drift check, which holds it must be absent) until it is purged. Ingesting the same content (file hash) again creates a new asset with a new id. With `purge=true` (ADMIN) the asset is erased: its row and every version snapshot, leaving the audit record of who, when and why. An asset under legal hold gets 409 (`/problems/legal-hold`) and nothing changes.
         */
        delete: operations["deleteAsset"];
        options?: never;
        head?: never;
        /**
         * Edit the asset's title, description or operational tags
         * @description A new asset version with an audit record. New wording is searchable once projected (?wait=true waits for it), and the asset is enriched again from it; manual tag edits survive. Name the version the change is based on (If-Match, or version in the body) to get 412 with the current version and a field diff instead of overwriting a newer edit.
         */
        patch: operations["editAsset"];
        trace?: never;
    };
    "/v1/assets/{id}/actions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The asset's audit trail, newest first */
        get: operations["listAssetActions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets/{id}/archive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Archive an asset
         * @description A new version showing status ARCHIVED: left out of search unless asked for (`status=ARCHIVED`), and out of related content. Edits are refused (409) until it is restored; an asset still being enriched is refused too. Archiving an archived asset changes nothing (200). Audited (ARCHIVE).
         */
        post: operations["archiveAsset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets/{id}/comments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The asset's comment threads, newest first, with replies, reactions and facets
         * @description Keyset paging (`nextCursor`). Filters apply to threads: `status`, `type`, `author` (the integration id), and `from`/`to` over feedback timestamps. `facets` count the matching threads per status, type, sentiment, keyword and topic.
         */
        get: operations["listAssetComments"];
        put?: never;
        /**
         * Comment on an asset, or give time-coded feedback (timestamp, region, type)
         * @description A new thread, status `open`. Its author is stored as a masking token and the name given. Audited; announced as `comment.created` to webhooks and live streams.
         */
        post: operations["createAssetComment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets/{id}/comments/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live changes of the asset's comments (Server-Sent Events)
         * @description Each event is one change: `comment.created`, `comment.edited`, `comment.deleted`, `comment.reacted` or `comment.status_changed`, its `data` the comment as it is now, its `id` the change number. Reconnect with `Last-Event-ID` to get the changes missed since.
         */
        get: operations["streamAssetComments"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets/{id}/comments/{commentId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One comment with its reactions and edit history */
        get: operations["getAssetComment"];
        put?: never;
        post?: never;
        /**
         * Delete a comment: a tombstone keeps its place in the thread
         * @description Its author (`author` in the body) may delete a comment; so may a key holding assets:delete, without an author. Text, mentions, attachments, history and reactions go.
         */
        delete: operations["deleteAssetComment"];
        options?: never;
        head?: never;
        /** Edit a comment's text (its author only); the old text is kept as history */
        patch: operations["editAssetComment"];
        trace?: never;
    };
    "/v1/assets/{id}/comments/{commentId}/reactions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** React with an emoji: one reaction per author per emoji (again changes nothing) */
        post: operations["reactToAssetComment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets/{id}/comments/{commentId}/reactions/remove": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Take back an author's reaction */
        post: operations["unreactToAssetComment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets/{id}/comments/{commentId}/replies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reply to a comment
         * @description Replies nest at most 5 levels below a thread (400 beyond).
         */
        post: operations["replyToAssetComment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets/{id}/comments/{commentId}/transitions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Move a thread through the review workflow, or change its assignee
         * @description open → in_progress → resolved or wont_fix; resolved, wont_fix and in_progress may go back to open. Any other move is a 409 naming the allowed ones. Audited; announced as `comment.status_changed`.
         */
        post: operations["transitionAssetComment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets/{id}/legal-hold": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Set or lift an asset's legal hold
         * @description An asset under legal hold may be neither deleted nor purged (409, `/problems/legal-hold`); it may still be read, edited and archived. ADMIN only. Not a new version; audited (LEGAL_HOLD).
         */
        put: operations["setAssetLegalHold"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets/{id}/links": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The asset's related_to links, both ways */
        get: operations["listAssetLinks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets/{id}/links/{targetId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Link the asset to a related one
         * @description An editor's related_to link: related-content lookups of either asset then list the other, with the note as the reason. The change is a new asset version with an audit record; repeating it changes nothing. With If-Match, a stale version gets 412 and nothing changes.
         */
        put: operations["linkAsset"];
        post?: never;
        /**
         * Remove a link
         * @description A new asset version without the link, with an audit record. With If-Match, a stale version gets 412 and nothing changes.
         */
        delete: operations["unlinkAsset"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets/{id}/related": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Assets related to this one, with the reasons
         * @description Candidates share entities (speakers, contributors, tags) with the asset; rarer entities count more. Similar wording (a more-like-this lookup on the title, description, transcript and keywords of the asset: its 25 most telling terms, as Lucene MoreLikeThis picks them, then again with the terms of its 10 closest matches added) adds to the score, and so does having been played in the same sessions (CO_VIEWED, from interaction events: "viewers also watched") and, for tenants with semantic search on, being close in meaning (SIMILAR_MEANING: sentence embeddings of the title and description against the other assets' titles, descriptions and transcript moments). Keywords, topics and brands, which enrichment finds in the text, count only when `via` names them: otherwise the text signal stands for them. Each item lists the shared entities and the text signal with their contribution to its score.
         */
        get: operations["getRelatedAssets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets/{id}/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Restore an archived asset
         * @description A new version with the status the asset had before it was archived; it is back in search and related content once projected. Restoring an asset that is not archived changes nothing. Audited (RESTORE).
         */
        post: operations["restoreAsset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets/{id}/rollback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Restore an earlier version as a new one
         * @description Restores the editable fields of the version (title, description, transcript, tags, speakers, contributors, operational tags, technical metadata, links, enrichment) as a new ROLLBACK version; history is never rewritten. The request names the current version it is based on (If-Match, or expectedVersion in the body): a stale one gets 412 with the current version and what changed since, and nothing is written. Restoring a state identical to the current one still records a version.
         */
        post: operations["rollbackAsset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets/{id}/tags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Edit the asset's tags, topics, speakers, brands and keywords
         * @description Manual additions and removals survive re-enrichment: a removed tag stays removed, a locked tag is never changed by a worker. The change is a new asset version with an audit record. Name the version it is based on (If-Match, or version in the body) to get 412 with the current version and a field diff instead of overwriting a newer edit.
         */
        patch: operations["editAssetTags"];
        trace?: never;
    };
    "/v1/assets/{id}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The asset's versions, newest first
         * @description Every change is a version: ingest, each enrichment, each edit and each rollback.
         */
        get: operations["listAssetVersions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets/{id}/versions/{v}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One version of the asset, with its snapshot */
        get: operations["getAssetVersion"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets/{id}/versions/{v}/diff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What a version changed, field by field
         * @description Old and new values of each field that differs from the version before (or from ?against=, any other version). Enrichment and technical metadata are compared one level down (enrichment.tags).
         */
        get: operations["diffAssetVersion"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/brands": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's own brand gazetteer (used with the default list) */
        get: operations["getBrands"];
        /** Replace the tenant's own brand list */
        put: operations["putBrands"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/changes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The tenant's asset change log: a page, or a stream to tail (SSE, NDJSON)
         * @description Every change of each of the tenant’s assets once, in log order: a reader that resumes after the last cursor it was given misses none and gets none twice, across restarts of the service (docs/change-feeds.md). `Accept: application/json` (default) answers a page; `text/event-stream` streams Server-Sent Events (`id:` is the cursor; resume with `Last-Event-ID`); `application/x-ndjson` streams one entry per line. Streams end once caught up unless `follow=true`, send keep-alives while quiet, and read on only as fast as the client takes them. The log keeps its entries for CHANGES_RETENTION_DAYS: a cursor older than that gets 410 with `resumeCursor`; list the assets in full, then read on from it.
         */
        get: operations["listAssetChanges"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/controllers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's controllers, newest first, with their health and last sync */
        get: operations["listControllers"];
        put?: never;
        /**
         * Add a controller: an ingress one (a Media RSS feed, a JSON Feed, a REST listing, a watched folder) or an egress one (a partner push, a sidecar folder), synced on a schedule
         * @description Its configuration is checked against its kind; a URL under the webhooks' outbound policy (no private addresses unless WEBHOOK_ALLOW_PRIVATE), a folder under the service's CONTROLLER_FOLDER_ROOT (folder kinds are refused without one). A partner push answers its signing secret this once. A new enabled controller syncs at the schedule's next tick. A tenant holds at most 100 (409 beyond). Audited.
         */
        post: operations["createController"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/controllers/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One controller */
        get: operations["getController"];
        put?: never;
        post?: never;
        /** Delete a controller with its run history; the assets it brought in stay */
        delete: operations["deleteController"];
        options?: never;
        head?: never;
        /**
         * Change a controller: its name, configuration, interval, logging level, or enabled state
         * @description Takes effect at the schedule's next tick, without a restart: a disabled controller is not synced again, a new interval counts from its last run. Audited.
         */
        patch: operations["updateController"];
        trace?: never;
    };
    "/v1/controllers/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replace a partner push's signing secret, and answer the new one this once
         * @description From the next request on, batches are signed with the new secret and, for `graceSeconds` (default a day; 0: not at all), with the old one too: two signatures in webhook-signature, so the partner may switch at any time in that period without refusing a batch. 404 for a controller of another kind. Audited (CONTROLLER_SECRET_ROTATE), without the secret.
         */
        post: operations["rotateControllerSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/controllers/{id}/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A controller's runs, newest first: trigger, status, counts and durations */
        get: operations["listControllerRuns"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/controllers/{id}/sync": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sync a controller now, enabled or not, and answer its run
         * @description Answers once the run ends, with its counts; a feed that fails or is malformed answers a FAILED run (the controller turns unhealthy, nothing already brought in is lost). 409 while another run holds the controller.
         */
        post: operations["syncController"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/embeddings/backfill": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Embed the tenant's assets that have no current vectors, throttled
         * @description For a library ingested before semantic search was turned on, or embedded by another model. Returns the background job (backgroundKind embeddings-backfill); follow it at GET /v1/jobs/{id}. One runs at a time per tenant: while one is queued or running, the same job is returned and nothing new starts. An asset embedded already is not embedded again, and an interrupted job continues where it stopped.
         */
        post: operations["startEmbeddingsBackfill"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/enrichment/backfill": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Re-enrich every asset enriched by an older extractor version, throttled
         * @description Returns the background job; follow its progress at GET /v1/jobs/{id}.
         */
        post: operations["startBackfill"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/enrichment/train": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Retrain the tenant's topic and tag classifiers now */
        post: operations["trainClassifiers"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/entities": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Entities (speakers, contributors, topics, tags, keywords, brands) by type and name prefix
         * @description Most linked first. Only entities some asset links to are listed.
         */
        get: operations["listEntities"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/entities/{type}/{name}/assets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The assets an entity appears in, strongest link first
         * @description Names match ignoring case, accents and punctuation.
         */
        get: operations["listEntityAssets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/entities/{type}/{name}/related": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The entities that appear on the same assets as this one, most shared first
         * @description Counted over the entity's 1,000 strongest links, so the answer stays fast for an entity on very many assets. Names match ignoring case, accents and punctuation.
         */
        get: operations["listCooccurringEntities"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/erasure": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Erase a person: a speaker, a contributor, a user of interaction events
         * @description Takes a person out of the tenant (ADMIN only; `assets:purge`, and `masking:resolve` with `userToken`). With `name`: every asset naming them (its speakers, contributors, tags, enrichment, moments, title, description, transcript, link notes) becomes a new version without the name (each occurrence in text becomes `[erased]`), every older version snapshot is rewritten in place, search, suggestions and the graph are updated before the answer (the person's entity node goes), and earlier audit records lose the name. With `userToken`: the person's raw interaction events are erased, and their comments on assets become tombstones by an erased author (their reactions, mentions and assignments go). Runs in batches of 200 assets, each its own transaction. If an asset naming the person is under legal hold, the whole request is refused with 409 (`/problems/legal-hold`, `assetIds` naming the held assets) and nothing changes. Audited (PERSON_ERASE: who, when, why, the counts, a salted hash of the name, never the name). Repeating an erasure changes nothing and reports zeros.
         */
        post: operations["erasePerson"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a batch of interaction events
         * @description At most 1000 events. Each event is judged alone: the valid ones are kept, the others reported by index (`rejected`). 202 once the kept events are durable in the event stream; they reach the metrics within seconds. An event id sent again (a retried batch) is counted once. 400 (`/problems/events-rejected`) when no event is valid, 413 (`/problems/batch-too-large`) past 1000 events, 503 when the stream cannot take them (nothing was accepted: retry). See docs/events.md.
         */
        post: operations["postEvents"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's interaction-event settings (raw-event retention) */
        get: operations["getEventSettings"];
        /**
         * Set the tenant's interaction-event settings
         * @description Raw events older than `rawRetentionDays` (1–3650, default 90) are deleted by the retention run (every EVENT_RETENTION_INTERVAL_MS, and at start); the metrics keep their counts. Audited.
         */
        put: operations["putEventSettings"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/types": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The event types POST /v1/events takes: the built-in ones and those the tenant registered */
        get: operations["listEventTypes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/types/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Register a custom event type (or change its description)
         * @description A lowercase name that is not a built-in type. A tenant registers at most 100 (409 beyond). Every process takes it within seconds. Audited.
         */
        put: operations["putEventType"];
        post?: never;
        /**
         * Unregister a custom event type
         * @description Events of the type are refused from then on (within seconds in every process); those taken stay. Audited.
         */
        delete: operations["deleteEventType"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/users/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The token a userId is stored under
         * @description Events keep the masking token of their userId, never the userId: this gives the token to erase (DELETE /v1/events/users/{userToken}). Nothing is stored or looked up. 503 without MASK_KEY.
         */
        post: operations["getEventUserToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/users/{userToken}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Erase one person's raw events
         * @description Deletes the raw events stored under the token (the tenant only); the metrics keep their counts, which hold no user. Events still in the stream when this runs are stored after it: erase again a minute later to be sure (docs/events.md, "Privacy"). Audited with the token and the count.
         */
        delete: operations["eraseEventUser"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/exports/assets.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export the assets a search matches, as CSV
         * @description Takes the filters of GET /v1/search (q, syntax, type, sourceSystem, status, tag, topic, speaker, brand, createdFrom, createdTo, durationMin, durationMax, resolution, sort) and streams every matching asset, however many, as an attachment. Without text, entity filters (tag, topic, speaker, brand) or sort=popularity, it reads the canonical assets, newest first, including those not yet searchable; otherwise it follows the search ranking, as paging through GET /v1/search would. Each export is recorded in the audit trail (ASSET_EXPORT) with its filters and, once done, its row count.
         */
        get: operations["exportAssetsCsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/graph/neighborhood/{assetId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Nodes and edges around an asset, for drawing */
        get: operations["getGraphNeighbourhood"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/graph/path": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The shortest explained path between two assets or entities
         * @description Over asset-entity links: each entity on the path is what its neighbours share. Each step follows the strongest links of a node first, so paths through very common entities are found without walking all of them.
         */
        get: operations["getGraphPath"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Enrichment runs and background jobs, newest first; status=FAILED is the dead-letter list
         * @description Enrichment runs (kind enrichment, one asset version each, with its title) and background jobs (kind background: bulk tag changes, renames, backfills) in one list, newest first. kind and backgroundKind narrow it.
         */
        get: operations["listJobs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One enrichment run or background job, with its progress */
        get: operations["getJob"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{id}/changes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What a bulk tag job did, asset by asset
         * @description Each asset of a bulk tag change, in the job's order, once the job has reached it: what was added, removed, locked and unlocked there, the version made, or why it was skipped; with counts per outcome. 404 for jobs of other kinds.
         */
        get: operations["listJobChanges"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Re-run a failed (dead-lettered) or retrying enrichment run */
        post: operations["retryJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/lifecycle-rules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's lifecycle rules, highest priority first (ties by name) */
        get: operations["listLifecycleRules"];
        put?: never;
        /**
         * Add a rule that archives and/or deletes assets past an age
         * @description A rule with deleteAfterDays needs assets:delete too (403 otherwise). A tenant holds at most 100 rules; names are unique (409). Audited.
         */
        post: operations["createLifecycleRule"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/lifecycle-rules/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Dry run: what the active rules would archive and delete, and why, changing nothing
         * @description Assets in the order a run takes them (by id), each with the deciding rule, the action, its age and threshold in days; assets under legal hold or still being enriched are listed with `skipped`. A run at the same clock does exactly this.
         */
        get: operations["previewLifecycleRules"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/lifecycle-rules/run": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Run the active rules now, as a background job
         * @description Needs assets:delete too. Answers 202 with the job; follow it at GET /v1/jobs/{id}. The job weighs every asset at the clock it started with, throttled (LIFECYCLE_ACTIONS_PER_SECOND), and resumes where it stopped after a crash. Archives and deletes are audited (ARCHIVE, DELETE) by `lifecycle-rule:<id>`, as the API does them. 409 while a run is in progress.
         */
        post: operations["runLifecycleRules"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/lifecycle-rules/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One lifecycle rule */
        get: operations["getLifecycleRule"];
        put?: never;
        post?: never;
        /** Delete a lifecycle rule; what it archived or deleted stays so */
        delete: operations["deleteLifecycleRule"];
        options?: never;
        head?: never;
        /**
         * Change a lifecycle rule; null clears a filter or a threshold
         * @description The rule as changed is checked whole (400). A rule with deleteAfterDays needs assets:delete too (403 otherwise). Audited.
         */
        patch: operations["updateLifecycleRule"];
        trace?: never;
    };
    "/v1/masking/tokens/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The value a masking token stands for
         * @description Metadata configured for masking (MASK_FIELDS) is stored as tokens; this resolves one of the tenant's tokens to its value. ADMIN only, and every attempt, found or not, is recorded in the audit trail (MASK_TOKEN_RESOLVE, with the token, never the value). Another tenant's token is not found.
         */
        get: operations["resolveMaskingToken"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The calling API key: its tenant, id, name, role and permissions
         * @description Any valid key may ask; it needs no permission. Never returns the secret or its hash.
         */
        get: operations["getCurrentKey"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/metadata/kinds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The kinds of record the tenant can write: built in, and its own (newest version) */
        get: operations["listMetadataKinds"];
        put?: never;
        /**
         * Register a kind, or a new version of a kind's schema
         * @description The version must be higher than the newest, and backward compatible with it: no new required property, no property removed, no type or enum narrowed, additionalProperties not closed (409 with the breaches otherwise). `force` registers it anyway; that is audited. Built-in kinds cannot be changed.
         */
        post: operations["registerMetadataKind"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/metadata/kinds/{kind}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A kind's current schema */
        get: operations["getMetadataKind"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/metadata/log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Tail the tenant's metadata record log (Server-Sent Events or NDJSON)
         * @description Every record in commit order, as SSE (`id` is the record `seq`, `event: record`) or NDJSON (one record a line, blank lines as keep-alives). Resume with `Last-Event-ID` or `?after=`: no record is missed or repeated. With `follow=true` (default) the stream stays open, sending new records as they commit and a keep-alive while idle; a slow reader is sent no faster than it reads.
         */
        get: operations["tailMetadataLog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/metadata/records": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Store one metadata record, or a batch
         * @description A record's payload is validated against its kind's schema. One record: 201 with it (400 when refused). A batch (`records`, at most 500): 200, each record stored or rejected by index, the stored ones in one transaction.
         */
        post: operations["storeMetadataRecords"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/metadata/records/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A target's records of a kind over a time window, newest first */
        get: operations["getMetadataHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/metadata/records/latest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The newest record of a kind about a target */
        get: operations["getLatestMetadataRecord"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/metadata/records/query": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Records by kind, target, time window and payload or extras paths, newest first */
        get: operations["queryMetadataRecords"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A metric of the tenant over time: views, searches, rankings, job and lag figures
         * @description Every bucket of the range is listed (0 where nothing happened), at most 1500 per series. Definitions, group-bys and filters per metric: docs/metrics.md. Accepts a bearer JWT of the configured issuer as well as an API key.
         */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/metrics/connectors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Connector health: the tenant's controllers (ingress and egress) by health, and the failing ones
         * @description Each controller's health is its last run's outcome (docs/connectors.md). Accepts a bearer JWT of the configured issuer as well as an API key.
         */
        get: operations["getConnectorHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/metrics/drift": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Projection drift: the tenant's part of the latest drift check, and what it could not repair
         * @description Search and graph against the canonical assets, as the latest drift check that covered the tenant found them (docs/metrics.md). Accepts a bearer JWT of the configured issuer as well as an API key.
         */
        get: operations["getProjectionDrift"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/metrics/queries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Queries for curators: those that found nothing, and those whose results are seldom clicked
         * @description From the click learning, recomputed on a schedule over the last 30 days of search and click events (docs/clicks.md). Accepts a bearer JWT of the configured issuer as well as an API key.
         */
        get: operations["getCuratorQueries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/metrics/queue-depth": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Enrichment in progress over time: the tenant's runs not yet ended (not the backlog)
         * @description At the close of each bucket of the range (every bucket listed), at most 1500: runs QUEUED, RUNNING or RETRYING, from their record to their end. A run is recorded when a worker takes its batch, so assets still waiting on the queue are not counted. docs/metrics.md says how it is counted. Accepts a bearer JWT of the configured issuer as well as an API key.
         */
        get: operations["getQueueDepth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/pipeline/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The tenant's assets by status, the pace of ingest and enrichment, and whether all is done
         * @description For watching an import: poll it every few seconds until `idle`. Counts are of the key’s tenant only.
         */
        get: operations["getPipelineStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/saved-searches": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's saved searches, newest first */
        get: operations["listSavedSearches"];
        put?: never;
        /**
         * Save a search under a name, for every key of the tenant to open
         * @description A tenant holds at most 500 saved searches (409 beyond). Audited.
         */
        post: operations["createSavedSearch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/saved-searches/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One saved search */
        get: operations["getSavedSearch"];
        put?: never;
        post?: never;
        /**
         * Delete a saved search
         * @description Only the key that saved it, or a key holding keys:manage, may delete a saved search (403 otherwise). Audited.
         */
        delete: operations["deleteSavedSearch"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Full-text search over assets, ranked by relevance */
        get: operations["searchAssets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/suggest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Titles starting with a prefix, and tags, speakers and topics with a word starting with it
         * @description Searching a suggested value (as q, or as tag:/speaker:/topic: filters) returns the assets it came from. A name is listed once, a person as a speaker before a tag; a prefix typed with an honorific ("Sir Ken") finds the name without it. A title carries its asset id when exactly one asset has that title.
         */
        get: operations["suggest"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tags/bulk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Change tags on many assets, as a background job
         * @description The assets are named by ids, or by a search query `q` and/or `filters` (those of GET /v1/search), resolved when the request is made: the job changes exactly those, at most 10000. A query that matches more than 500 assets needs `confirm` set to the count a preview answered (POST /v1/tags/bulk/preview); without it, or when the count has changed since, 409 with the current `matched`, and nothing changes. Each asset gets its own version and audit record (with the job id), as if edited alone; an asset the change cannot apply to (a locked tag) is skipped. Follow the progress at GET /v1/jobs/{id} and what changed on each asset at GET /v1/jobs/{id}/changes.
         */
        post: operations["bulkEditTags"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tags/bulk/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * What a bulk tag change would do: the count and a sample, changing nothing
         * @description Takes the body of POST /v1/tags/bulk (without confirm). Answers how many assets it names (`matched`: send it as `confirm` when `confirmationRequired`, above 500 by query) and the first of them with what would be added, removed, locked or unlocked on each, or why it would be skipped.
         */
        post: operations["previewBulkTags"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tags/merge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Merge several names into one across the tenant, as a background job
         * @description The rule holds from the moment this answers: every enrichment after it writes the new name. The job then rewrites every asset that carries an old name (its tags, topics, speakers, brands or keywords, and editors' overrides), each as a new version with an audit record, and re-projects it; when the job is COMPLETED (GET /v1/jobs/{id}), no search document or graph edge has an old name.
         */
        post: operations["mergeTags"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tags/rename": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rename a tag, topic, speaker, brand or keyword across the tenant, as a background job
         * @description The rule holds from the moment this answers: every enrichment after it writes the new name. The job then rewrites every asset that carries an old name (its tags, topics, speakers, brands or keywords, and editors' overrides), each as a new version with an audit record, and re-projects it; when the job is COMPLETED (GET /v1/jobs/{id}), no search document or graph edge has an old name.
         */
        post: operations["renameTag"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tags/renames": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The renames and merges in force: enrichment writes each `from` as its `to` */
        get: operations["listTagRenames"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/taxonomy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The topic taxonomy enrichment assigns from */
        get: operations["getTaxonomy"];
        /**
         * Extend or replace the default taxonomy
         * @description The topic classifier retrains on the new taxonomy; assets enriched later use it.
         */
        put: operations["putTaxonomy"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's webhooks, newest first; never their secrets */
        get: operations["listWebhooks"];
        put?: never;
        /**
         * Register a webhook; its signing secret is returned this once
         * @description Each event the webhook takes is POSTed to its URL, signed as in the Standard Webhooks spec (webhook-id, webhook-timestamp, webhook-signature), and retried with backoff until the receiver answers 2xx. See docs/webhooks.md. A tenant holds at most 25 webhooks (409 beyond).
         */
        post: operations["createWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One webhook */
        get: operations["getWebhook"];
        put?: never;
        post?: never;
        /** Delete a webhook with its delivery log; queued deliveries are not sent */
        delete: operations["deleteWebhook"];
        options?: never;
        head?: never;
        /**
         * Change a webhook: its URL, events, description, or enabled state
         * @description A disabled webhook gets no new deliveries, and its pending ones are dropped as FAILED.
         */
        patch: operations["updateWebhook"];
        trace?: never;
    };
    "/v1/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A webhook's deliveries, newest first: event, status, attempts, last answer, timings
         * @description Deliveries are kept 30 days. status=FAILED lists the dead ones.
         */
        get: operations["listWebhookDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a delivery again, with the same webhook-id, as new attempts
         * @description The delivery goes back to PENDING and is retried as on its first sending. 409 when the webhook is disabled.
         */
        post: operations["redeliverWebhookDelivery"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replace a webhook's signing secret, and answer the new one this once
         * @description From the next attempt on, deliveries are signed with the new secret and, for `graceSeconds` (default a day; 0: not at all), with the old one too: two signatures in webhook-signature, as the Standard Webhooks spec allows, so the receiver may switch at any time in that period without refusing a delivery. Audited (WEBHOOK_SECRET_ROTATE), without the secret.
         */
        post: operations["rotateWebhookSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send the webhook a signed webhook.test delivery, whatever events it takes
         * @description Sent, retried, logged and policed (the URL policy) like any delivery; poll its delivery to see the outcome. 409 when the webhook is disabled.
         */
        post: operations["testWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/test/{deliveryId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A test delivery: whether the receiver took it, with its status code and answer
         * @description Test deliveries are kept apart from the event deliveries that GET …/deliveries lists.
         */
        get: operations["getWebhookTestDelivery"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workflows": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Enrichment workflows, highest priority first (admins only) */
        get: operations["listWorkflows"];
        put?: never;
        /** Create a workflow: assets matching its rules run its capabilities */
        post: operations["createWorkflow"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/workflows/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Enable, disable or change a workflow */
        patch: operations["updateWorkflow"];
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        ActionRecord: {
            /** @description e.g. INGEST, ENRICH, ASSET_LINK, ASSET_ROLLBACK, ACCESS. */
            actionType: string;
            actor: string;
            assetId: string | null;
            /** @description What ran it: api, or the enrichment workflow. */
            controller: string;
            details: {
                [key: string]: unknown;
            };
            /** @enum {string} */
            direction: "INBOUND" | "OUTBOUND" | "INTERNAL";
            durationMs: number;
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            startedAt: string;
            /** @enum {string} */
            status: "SUCCEEDED" | "FAILED" | "DENIED";
        };
        ActionRecordPage: {
            items: components["schemas"]["ActionRecord"][];
            nextCursor: string | null;
        };
        ApiKey: {
            /** @description Address ranges (CIDR) the key is accepted from; empty: any. */
            allowedIpRanges: string[];
            /** @description Origins the key is accepted from; empty: any. */
            allowedOrigins: string[];
            createdAt: string;
            /** Format: uuid */
            id: string;
            /** @description To the minute. */
            lastUsedAt: string | null;
            name: string;
            /** @description The first characters of the secret, to recognize a leaked key. */
            prefix: string;
            revokedAt: string | null;
            /** @enum {string} */
            role: "ADMIN" | "CONTENT_MANAGER" | "EDITOR" | "DEVELOPER" | "VIEWER";
            /** @description What the key may do. */
            scopes: ("assets:read" | "assets:write" | "assets:delete" | "assets:purge" | "search:read" | "tags:write" | "jobs:manage" | "keys:manage" | "export:read" | "webhooks:manage" | "workflows:manage" | "taxonomy:manage" | "events:write" | "metrics:read" | "masking:resolve")[];
            /** @enum {string} */
            status: "ACTIVE" | "REVOKED";
        };
        ApiKeyList: {
            items: components["schemas"]["ApiKey"][];
        };
        /**
         * @example {
         *       "contributors": [],
         *       "createdAt": "2006-06-27T00:00:00.000Z",
         *       "description": "Sir Ken Robinson makes a case for an education system that nurtures creativity.",
         *       "enrichment": {
         *         "brands": [],
         *         "keywords": [
         *           {
         *             "score": 1,
         *             "term": "creativity"
         *           },
         *           {
         *             "score": 0.7759,
         *             "term": "schools kill creativity"
         *           },
         *           {
         *             "score": 0.7085,
         *             "term": "ken robinson"
         *           }
         *         ],
         *         "moments": [
         *           {
         *             "end": 15.6,
         *             "keywords": [
         *               "creativity",
         *               "education",
         *               "literacy"
         *             ],
         *             "speaker": "Ken Robinson",
         *             "start": 12,
         *             "timestamp": "00:00:12"
         *           }
         *         ],
         *         "speakers": [
         *           {
         *             "confidence": 1,
         *             "name": "Ken Robinson",
         *             "source": "manual"
         *           }
         *         ],
         *         "tags": [
         *           {
         *             "confidence": 1,
         *             "locked": true,
         *             "name": "education",
         *             "source": "manual"
         *           },
         *           {
         *             "confidence": 0.38795,
         *             "locked": false,
         *             "name": "schools kill creativity",
         *             "source": "ai"
         *           },
         *           {
         *             "confidence": 1,
         *             "locked": false,
         *             "name": "public schools",
         *             "source": "manual"
         *           }
         *         ],
         *         "topics": [
         *           {
         *             "confidence": 0.5276,
         *             "name": "Education"
         *           }
         *         ]
         *       },
         *       "fileHash": "88eb2e39bc9c679d5d4e2f5523cdacf2c0d61102fd2d1da4ed85af7389b70f11",
         *       "id": "3f2b8c1e-6d4a-4c2f-9a7e-0b5d1e8f2a61",
         *       "legalHold": false,
         *       "links": [],
         *       "operationalTags": [],
         *       "removedTags": [
         *         "creativity"
         *       ],
         *       "sourceId": "talk-66",
         *       "sourceSystem": "ted",
         *       "speakers": [
         *         "Ken Robinson"
         *       ],
         *       "status": "PROCESSED",
         *       "statusDetail": null,
         *       "tagDetails": [
         *         {
         *           "confidence": 1,
         *           "locked": true,
         *           "name": "education",
         *           "source": "given"
         *         },
         *         {
         *           "confidence": 0.38795,
         *           "locked": false,
         *           "name": "schools kill creativity",
         *           "source": "suggested"
         *         },
         *         {
         *           "confidence": 1,
         *           "locked": false,
         *           "name": "public schools",
         *           "source": "manual"
         *         }
         *       ],
         *       "tags": [
         *         "education",
         *         "schools kill creativity",
         *         "public schools"
         *       ],
         *       "technicalMetadata": {
         *         "durationSeconds": 1164,
         *         "height": 1080,
         *         "mimeType": "video/mp4",
         *         "width": 1920
         *       },
         *       "title": "Do schools kill creativity?",
         *       "transcript": "[00:00:12] Ken Robinson: Creativity now is as important in education as literacy.",
         *       "type": "VIDEO",
         *       "updatedAt": "2026-11-30T18:04:40.125Z",
         *       "version": 3
         *     }
         */
        Asset: {
            /** @description People or organisations who made the asset (producer, director, channel…), as given at ingest. */
            contributors: string[];
            /** Format: date-time */
            createdAt: string;
            description: string;
            enrichment: components["schemas"]["Enrichment"] | null;
            fileHash: string;
            /** Format: uuid */
            id: string;
            /** @description Under legal hold: the asset may be neither deleted nor purged (set by an ADMIN). */
            legalHold: boolean;
            /** @description Links editors made from this asset to related ones. */
            links: components["schemas"]["AssetLink"][];
            operationalTags: string[];
            /** @description Tags an editor removed: enrichment never suggests them again until one is added back. */
            removedTags: string[];
            sourceId: string | null;
            sourceSystem: string;
            /** @description Speakers as given at ingest. */
            speakers: string[];
            /** @enum {string} */
            status: "STAGED" | "QUEUED" | "PROCESSING" | "PROCESSED" | "FAILED" | "ARCHIVED";
            /** @description Why the asset is FAILED or being retried. */
            statusDetail: string | null;
            /** @description The effective tags (the same names as `tags`, in the same order) with their provenance. */
            tagDetails: {
                /** @description 1 for given and manual tags; the extractor’s confidence for suggested ones. */
                confidence: number;
                /** @description Never changed by enrichment; unlock it before removing it. */
                locked: boolean;
                name: string;
                /**
                 * @description given: in the source metadata at ingest; manual: added or confirmed by an editor; suggested: found by enrichment.
                 * @enum {string}
                 */
                source: "given" | "manual" | "suggested";
            }[];
            /** @description The effective tags: what search, facets, related content and exports use. Given tags before enrichment; after it, the given, manual and suggested tags together, less those an editor removed. `tagDetails` says where each comes from. */
            tags: string[];
            technicalMetadata: components["schemas"]["TechnicalMetadata"];
            title: string;
            transcript: string;
            /** @enum {string} */
            type: "VIDEO" | "IMAGE" | "AUDIO" | "TEXT";
            /** Format: date-time */
            updatedAt: string;
            version: number;
        };
        /**
         * @example {
         *       "assets": [
         *         {
         *           "createdAt": "2006-06-27T00:00:00Z",
         *           "description": "Sir Ken Robinson makes a case for an education system that nurtures creativity.",
         *           "sourceId": "talk-66",
         *           "sourceSystem": "ted",
         *           "speakers": [
         *             "Ken Robinson"
         *           ],
         *           "tags": [
         *             "education",
         *             "creativity"
         *           ],
         *           "technicalMetadata": {
         *             "durationSeconds": 1164,
         *             "height": 1080,
         *             "mimeType": "video/mp4",
         *             "width": 1920
         *           },
         *           "title": "Do schools kill creativity?",
         *           "transcript": "[00:00:12] Ken Robinson: Creativity now is as important in education as literacy.",
         *           "type": "VIDEO"
         *         },
         *         {
         *           "sourceId": "talk-1726",
         *           "sourceSystem": "ted",
         *           "speakers": [
         *             "Ken Robinson"
         *           ],
         *           "tags": [
         *             "education"
         *           ],
         *           "title": "How to escape education's death valley",
         *           "type": "VIDEO"
         *         }
         *       ]
         *     }
         */
        AssetBatchInput: {
            assets: components["schemas"]["NewAssetInput"][];
        };
        AssetChange: {
            /** Format: uuid */
            assetId: string;
            /**
             * @description ingested (new, or present when the log began), enriched, updated (an edit, tags, a rollback), archived, restored, failed (enrichment gave up), deleted (a tombstone), purged (the row gone), erased (a person’s data removed).
             * @enum {string}
             */
            change: "ingested" | "enriched" | "updated" | "archived" | "restored" | "failed" | "deleted" | "purged" | "erased";
            /** Format: date-time */
            changedAt: string;
            /** @description This entry’s place in the log: resume after it with `cursor=` or `Last-Event-ID`. */
            cursor: string;
            /** @description What an update changed, as in a version diff (e.g. `title`, `enrichment.tags`), when known. */
            fields: string[] | null;
            /** @description The asset’s version after the change (purged: one past its last). */
            version: number;
        };
        AssetChangePage: {
            /** @description Fewer items than asked for: this was the end of the log for now. */
            caughtUp: boolean;
            items: components["schemas"]["AssetChange"][];
            /** @description Where to read on from: after the last item, or the cursor given when there were none (null: the log is empty). */
            nextCursor: string | null;
        };
        AssetDiff: {
            /** @description Every field whose value differs, in field order. */
            changes: components["schemas"]["FieldChange"][];
            /** @description The version compared with; 0 is the empty state before ingest. */
            from: number;
            /** @description The whole change in words, tags as a curator sees them: "added tag 'climate'; removed tag 'idea'; locked tag 'education'". Empty when nothing differs. */
            summary: string;
            to: number;
        };
        AssetLink: {
            /** Format: date-time */
            createdAt: string;
            createdBy: string;
            note: string;
            /** Format: uuid */
            targetId: string;
        };
        AssetLinks: {
            /** @description Links other assets made to this one, newest first. */
            incoming: {
                /** Format: date-time */
                createdAt: string;
                createdBy: string;
                note: string;
                /** Format: uuid */
                sourceId: string;
            }[];
            /** @description The asset's own links, in the order they were made. */
            outgoing: components["schemas"]["AssetLink"][];
        };
        AssetPage: {
            items: components["schemas"]["AssetSummary"][];
            nextCursor: string | null;
        };
        /**
         * @example {
         *       "contributors": [],
         *       "createdAt": "2006-06-27T00:00:00.000Z",
         *       "description": "Sir Ken Robinson makes a case for an education system that nurtures creativity.",
         *       "enrichment": {
         *         "brands": [],
         *         "keywords": [
         *           {
         *             "score": 1,
         *             "term": "creativity"
         *           },
         *           {
         *             "score": 0.7759,
         *             "term": "schools kill creativity"
         *           },
         *           {
         *             "score": 0.7085,
         *             "term": "ken robinson"
         *           }
         *         ],
         *         "moments": [
         *           {
         *             "end": 15.6,
         *             "keywords": [
         *               "creativity",
         *               "education",
         *               "literacy"
         *             ],
         *             "speaker": "Ken Robinson",
         *             "start": 12,
         *             "timestamp": "00:00:12"
         *           }
         *         ],
         *         "speakers": [
         *           {
         *             "confidence": 1,
         *             "name": "Ken Robinson",
         *             "source": "manual"
         *           }
         *         ],
         *         "tags": [
         *           {
         *             "confidence": 1,
         *             "locked": false,
         *             "name": "education",
         *             "source": "manual"
         *           },
         *           {
         *             "confidence": 1,
         *             "locked": false,
         *             "name": "creativity",
         *             "source": "manual"
         *           },
         *           {
         *             "confidence": 0.38795,
         *             "locked": false,
         *             "name": "schools kill creativity",
         *             "source": "ai"
         *           }
         *         ],
         *         "topics": [
         *           {
         *             "confidence": 0.5276,
         *             "name": "Education"
         *           }
         *         ]
         *       },
         *       "fileHash": "88eb2e39bc9c679d5d4e2f5523cdacf2c0d61102fd2d1da4ed85af7389b70f11",
         *       "id": "3f2b8c1e-6d4a-4c2f-9a7e-0b5d1e8f2a61",
         *       "operationalTags": [],
         *       "removedTags": [],
         *       "sourceId": "talk-66",
         *       "sourceSystem": "ted",
         *       "speakers": [
         *         "Ken Robinson"
         *       ],
         *       "status": "PROCESSED",
         *       "statusDetail": null,
         *       "tagDetails": [
         *         {
         *           "confidence": 1,
         *           "locked": false,
         *           "name": "education",
         *           "source": "given"
         *         },
         *         {
         *           "confidence": 1,
         *           "locked": false,
         *           "name": "creativity",
         *           "source": "given"
         *         },
         *         {
         *           "confidence": 0.38795,
         *           "locked": false,
         *           "name": "schools kill creativity",
         *           "source": "suggested"
         *         }
         *       ],
         *       "tags": [
         *         "education",
         *         "creativity",
         *         "schools kill creativity"
         *       ],
         *       "technicalMetadata": {
         *         "durationSeconds": 1164,
         *         "height": 1080,
         *         "mimeType": "video/mp4",
         *         "width": 1920
         *       },
         *       "title": "Do schools kill creativity?",
         *       "type": "VIDEO",
         *       "updatedAt": "2026-11-30T18:02:11.408Z",
         *       "version": 2
         *     }
         */
        AssetSummary: {
            /** @description People or organisations who made the asset (producer, director, channel…), as given at ingest. */
            contributors: string[];
            /** Format: date-time */
            createdAt: string;
            description: string;
            enrichment: components["schemas"]["Enrichment"] | null;
            fileHash: string;
            /** Format: uuid */
            id: string;
            operationalTags: string[];
            /** @description Tags an editor removed: enrichment never suggests them again until one is added back. */
            removedTags: string[];
            sourceId: string | null;
            sourceSystem: string;
            /** @description Speakers as given at ingest. */
            speakers: string[];
            /** @enum {string} */
            status: "STAGED" | "QUEUED" | "PROCESSING" | "PROCESSED" | "FAILED" | "ARCHIVED";
            /** @description Why the asset is FAILED or being retried. */
            statusDetail: string | null;
            /** @description The effective tags (the same names as `tags`, in the same order) with their provenance. */
            tagDetails: {
                /** @description 1 for given and manual tags; the extractor’s confidence for suggested ones. */
                confidence: number;
                /** @description Never changed by enrichment; unlock it before removing it. */
                locked: boolean;
                name: string;
                /**
                 * @description given: in the source metadata at ingest; manual: added or confirmed by an editor; suggested: found by enrichment.
                 * @enum {string}
                 */
                source: "given" | "manual" | "suggested";
            }[];
            /** @description The effective tags: what search, facets, related content and exports use. Given tags before enrichment; after it, the given, manual and suggested tags together, less those an editor removed. `tagDetails` says where each comes from. */
            tags: string[];
            technicalMetadata: components["schemas"]["TechnicalMetadata"];
            title: string;
            /** @enum {string} */
            type: "VIDEO" | "IMAGE" | "AUDIO" | "TEXT";
            /** Format: date-time */
            updatedAt: string;
            version: number;
        };
        AssetVersion: {
            /**
             * @description INGEST created the asset, ENRICHMENT is a worker run, EDIT an editor, ROLLBACK a restore.
             * @enum {string}
             */
            changeKind: "INGEST" | "ENRICHMENT" | "EDIT" | "ROLLBACK";
            /** @description key:<id> for API keys, worker:<name> for workers. */
            changedBy: string;
            /** Format: date-time */
            createdAt: string;
            reason: string | null;
            /** @description The asset as it was at this version, as stored (enrichment in its stored form). */
            snapshot: {
                [key: string]: unknown;
            };
            version: number;
        };
        AssetVersionEntry: {
            /**
             * @description INGEST created the asset, ENRICHMENT is a worker run, EDIT an editor, ROLLBACK a restore.
             * @enum {string}
             */
            changeKind: "INGEST" | "ENRICHMENT" | "EDIT" | "ROLLBACK";
            /** @description key:<id> for API keys, worker:<name> for workers. */
            changedBy: string;
            /** @description Who made the version, by name: the API key’s name, or "enrichment worker". */
            changedByName: string;
            /** Format: date-time */
            createdAt: string;
            reason: string | null;
            /** @description What the version changed, in words: "added tag 'climate'; locked tag 'education'", "suggested tag 'oceans'; status 'QUEUED' → 'PROCESSED'", or "ingested". */
            summary: string;
            version: number;
        };
        AssetVersionPage: {
            items: components["schemas"]["AssetVersionEntry"][];
            nextCursor: string | null;
        };
        BackfillRequestInput: {
            /** @default 50 */
            assetsPerSecond?: number;
        };
        /**
         * @example {
         *       "created": 1,
         *       "duplicates": 1,
         *       "items": [
         *         {
         *           "asset": {
         *             "contributors": [],
         *             "createdAt": "2006-06-27T00:00:00.000Z",
         *             "description": "Sir Ken Robinson makes a case for an education system that nurtures creativity.",
         *             "enrichment": {
         *               "brands": [],
         *               "keywords": [
         *                 {
         *                   "score": 1,
         *                   "term": "creativity"
         *                 },
         *                 {
         *                   "score": 0.7759,
         *                   "term": "schools kill creativity"
         *                 },
         *                 {
         *                   "score": 0.7085,
         *                   "term": "ken robinson"
         *                 }
         *               ],
         *               "moments": [
         *                 {
         *                   "end": 15.6,
         *                   "keywords": [
         *                     "creativity",
         *                     "education",
         *                     "literacy"
         *                   ],
         *                   "speaker": "Ken Robinson",
         *                   "start": 12,
         *                   "timestamp": "00:00:12"
         *                 }
         *               ],
         *               "speakers": [
         *                 {
         *                   "confidence": 1,
         *                   "name": "Ken Robinson",
         *                   "source": "manual"
         *                 }
         *               ],
         *               "tags": [
         *                 {
         *                   "confidence": 1,
         *                   "locked": false,
         *                   "name": "education",
         *                   "source": "manual"
         *                 },
         *                 {
         *                   "confidence": 1,
         *                   "locked": false,
         *                   "name": "creativity",
         *                   "source": "manual"
         *                 },
         *                 {
         *                   "confidence": 0.38795,
         *                   "locked": false,
         *                   "name": "schools kill creativity",
         *                   "source": "ai"
         *                 }
         *               ],
         *               "topics": [
         *                 {
         *                   "confidence": 0.5276,
         *                   "name": "Education"
         *                 }
         *               ]
         *             },
         *             "fileHash": "88eb2e39bc9c679d5d4e2f5523cdacf2c0d61102fd2d1da4ed85af7389b70f11",
         *             "id": "3f2b8c1e-6d4a-4c2f-9a7e-0b5d1e8f2a61",
         *             "operationalTags": [],
         *             "removedTags": [],
         *             "sourceId": "talk-66",
         *             "sourceSystem": "ted",
         *             "speakers": [
         *               "Ken Robinson"
         *             ],
         *             "status": "PROCESSED",
         *             "statusDetail": null,
         *             "tagDetails": [
         *               {
         *                 "confidence": 1,
         *                 "locked": false,
         *                 "name": "education",
         *                 "source": "given"
         *               },
         *               {
         *                 "confidence": 1,
         *                 "locked": false,
         *                 "name": "creativity",
         *                 "source": "given"
         *               },
         *               {
         *                 "confidence": 0.38795,
         *                 "locked": false,
         *                 "name": "schools kill creativity",
         *                 "source": "suggested"
         *               }
         *             ],
         *             "tags": [
         *               "education",
         *               "creativity",
         *               "schools kill creativity"
         *             ],
         *             "technicalMetadata": {
         *               "durationSeconds": 1164,
         *               "height": 1080,
         *               "mimeType": "video/mp4",
         *               "width": 1920
         *             },
         *             "title": "Do schools kill creativity?",
         *             "type": "VIDEO",
         *             "updatedAt": "2026-11-30T18:02:11.408Z",
         *             "version": 2
         *           },
         *           "duplicate": true
         *         },
         *         {
         *           "asset": {
         *             "contributors": [],
         *             "createdAt": "2013-05-10T00:00:00.000Z",
         *             "description": "Ken Robinson on three principles that make the human mind flourish.",
         *             "enrichment": {
         *               "brands": [],
         *               "keywords": [
         *                 {
         *                   "score": 1,
         *                   "term": "death valley"
         *                 },
         *                 {
         *                   "score": 0.4225,
         *                   "term": "ken"
         *                 }
         *               ],
         *               "moments": [],
         *               "speakers": [
         *                 {
         *                   "confidence": 1,
         *                   "name": "Ken Robinson",
         *                   "source": "manual"
         *                 }
         *               ],
         *               "tags": [
         *                 {
         *                   "confidence": 1,
         *                   "locked": false,
         *                   "name": "education",
         *                   "source": "manual"
         *                 }
         *               ],
         *               "topics": []
         *             },
         *             "fileHash": "619a54e90ca785ee4e4e5fb6899c088245fa00a5a0a7dbcc39fa499c649877bf",
         *             "id": "9c4e7a02-1b3d-4f5e-8a6c-2d7f0e9b1c34",
         *             "operationalTags": [],
         *             "removedTags": [],
         *             "sourceId": "talk-1726",
         *             "sourceSystem": "ted",
         *             "speakers": [
         *               "Ken Robinson"
         *             ],
         *             "status": "PROCESSED",
         *             "statusDetail": null,
         *             "tagDetails": [
         *               {
         *                 "confidence": 1,
         *                 "locked": false,
         *                 "name": "education",
         *                 "source": "given"
         *               }
         *             ],
         *             "tags": [
         *               "education"
         *             ],
         *             "technicalMetadata": {},
         *             "title": "How to escape education's death valley",
         *             "type": "VIDEO",
         *             "updatedAt": "2026-11-30T18:02:12.050Z",
         *             "version": 2
         *           },
         *           "duplicate": false
         *         }
         *       ]
         *     }
         */
        BatchResult: {
            created: number;
            duplicates: number;
            /** @description One per input, in input order. */
            items: components["schemas"]["IngestResult"][];
        };
        BrandList: {
            entries: {
                aliases?: string[];
                ambiguous?: boolean;
                name: string;
            }[];
        };
        BrandListInput: {
            entries: {
                aliases?: string[];
                ambiguous?: boolean;
                name: string;
            }[];
        };
        /** @description The filters of GET /v1/search (each list as an array), with `syntax` for how `q` is read. */
        BulkTagFiltersInput: {
            brand?: string[];
            /** Format: date-time */
            createdFrom?: string;
            /** Format: date-time */
            createdTo?: string;
            /** @description Seconds. */
            durationMax?: number;
            /** @description Seconds. */
            durationMin?: number;
            resolution?: string;
            sourceSystem?: string[];
            speaker?: string[];
            /** @description In any case: status=processed is PROCESSED. */
            status?: ("STAGED" | "QUEUED" | "PROCESSING" | "PROCESSED" | "FAILED" | "ARCHIVED")[];
            /**
             * @description How q is read. query (the default): "phrases", -exclusions and field:value filters are syntax. plain: every word of q ranks, quotes, minus signs and colons included; for text nobody wrote as a query (prose, a pasted title, a natural-language question). Filters then come from the parameters only.
             * @enum {string}
             */
            syntax?: "query" | "plain";
            tag?: string[];
            topic?: string[];
            /** @description In any case: type=video is VIDEO. */
            type?: ("VIDEO" | "IMAGE" | "AUDIO" | "TEXT")[];
        };
        BulkTagJob: {
            add: {
                name: string;
                /** @enum {string} */
                type: "TAG" | "TOPIC" | "SPEAKER" | "BRAND" | "KEYWORD";
            }[];
            /** @description The search filters, if any. */
            filters: {
                [key: string]: unknown;
            } | null;
            lock: {
                name: string;
                /** @enum {string} */
                type: "TAG" | "TOPIC" | "SPEAKER" | "BRAND" | "KEYWORD";
            }[];
            /** @description How many assets the change named when it started. */
            matched: number;
            /** @description The search query that named the assets, if any. */
            q: string | null;
            remove: {
                name: string;
                /** @enum {string} */
                type: "TAG" | "TOPIC" | "SPEAKER" | "BRAND" | "KEYWORD";
            }[];
            unlock: {
                name: string;
                /** @enum {string} */
                type: "TAG" | "TOPIC" | "SPEAKER" | "BRAND" | "KEYWORD";
            }[];
        };
        BulkTagsInput: {
            /** @default [] */
            add?: {
                name: string;
                /**
                 * @description The entity type; TAG when absent.
                 * @default TAG
                 * @enum {string}
                 */
                type?: "TAG" | "TOPIC" | "SPEAKER" | "BRAND" | "KEYWORD";
            }[];
            /** @description Needed when a query matches more than 500 assets: the `matched` count of the preview. A different count (the matches changed since) answers 409 and changes nothing. */
            confirm?: number;
            /** @description Or with q, or alone: every asset these search filters match. */
            filters?: components["schemas"]["BulkTagFiltersInput"];
            /** @description The assets to change. */
            ids?: string[];
            /** @default [] */
            lock?: {
                name: string;
                /**
                 * @description The entity type; TAG when absent.
                 * @default TAG
                 * @enum {string}
                 */
                type?: "TAG" | "TOPIC" | "SPEAKER" | "BRAND" | "KEYWORD";
            }[];
            /** @description Or: every asset this search query matches (with `filters`, if given). */
            q?: string;
            /** @default [] */
            remove?: {
                name: string;
                /**
                 * @description The entity type; TAG when absent.
                 * @default TAG
                 * @enum {string}
                 */
                type?: "TAG" | "TOPIC" | "SPEAKER" | "BRAND" | "KEYWORD";
            }[];
            /** @default [] */
            unlock?: {
                name: string;
                /**
                 * @description The entity type; TAG when absent.
                 * @default TAG
                 * @enum {string}
                 */
                type?: "TAG" | "TOPIC" | "SPEAKER" | "BRAND" | "KEYWORD";
            }[];
        };
        BulkTagsPreview: {
            /** @description Above this many assets by query, `confirm` is needed. */
            confirmAbove: number;
            confirmationRequired: boolean;
            /** @description How many assets the change names. Send it as `confirm` when confirmationRequired. */
            matched: number;
            /** @description The most assets one bulk change may name. */
            maxAssets: number;
            /** @description The first 20 assets, in the job's order, with what would change on each. */
            sample: components["schemas"]["TagChange"][];
        };
        BulkTagsPreviewRequestInput: {
            /** @default [] */
            add?: {
                name: string;
                /**
                 * @description The entity type; TAG when absent.
                 * @default TAG
                 * @enum {string}
                 */
                type?: "TAG" | "TOPIC" | "SPEAKER" | "BRAND" | "KEYWORD";
            }[];
            /** @description Or with q, or alone: every asset these search filters match. */
            filters?: components["schemas"]["BulkTagFiltersInput"];
            /** @description The assets to change. */
            ids?: string[];
            /** @default [] */
            lock?: {
                name: string;
                /**
                 * @description The entity type; TAG when absent.
                 * @default TAG
                 * @enum {string}
                 */
                type?: "TAG" | "TOPIC" | "SPEAKER" | "BRAND" | "KEYWORD";
            }[];
            /** @description Or: every asset this search query matches (with `filters`, if given). */
            q?: string;
            /** @default [] */
            remove?: {
                name: string;
                /**
                 * @description The entity type; TAG when absent.
                 * @default TAG
                 * @enum {string}
                 */
                type?: "TAG" | "TOPIC" | "SPEAKER" | "BRAND" | "KEYWORD";
            }[];
            /** @default [] */
            unlock?: {
                name: string;
                /**
                 * @description The entity type; TAG when absent.
                 * @default TAG
                 * @enum {string}
                 */
                type?: "TAG" | "TOPIC" | "SPEAKER" | "BRAND" | "KEYWORD";
            }[];
        };
        Comment: {
            analysis: {
                keywords: string[];
                /** @enum {string} */
                sentiment: "positive" | "neutral" | "negative";
                /** @description AFINN's average per word. */
                sentimentScore: number;
                topics: string[];
            } | null;
            /** Format: uuid */
            assetId: string;
            assignee: components["schemas"]["CommentPerson"] | null;
            attachments: {
                name: string | null;
                url: string;
            }[];
            author: components["schemas"]["CommentPerson"];
            /** Format: date-time */
            createdAt: string;
            deleted: boolean;
            /** @description 0 for a thread; replies nest at most 5 levels. */
            depth: number;
            /** @description How many times the text was edited. */
            edited: number;
            /** Format: uuid */
            id: string;
            mentions: components["schemas"]["CommentPerson"][];
            parentId: string | null;
            reactions: components["schemas"]["CommentReactionCount"][];
            region: {
                height: number;
                width: number;
                x: number;
                y: number;
            } | null;
            /** @description Threads only. */
            status: ("open" | "in_progress" | "resolved" | "wont_fix") | null;
            /** @description Plain text; empty once deleted. */
            text: string;
            /**
             * Format: uuid
             * @description The top-level comment of the thread (itself for a top-level comment).
             */
            threadId: string;
            /** @description ms into the media, or null. */
            timestamp: number | null;
            /** @description Threads only. */
            type: ("note" | "issue" | "question" | "approval") | null;
            /** Format: date-time */
            updatedAt: string;
        };
        CommentDeletionInput: {
            author?: {
                /** @description The name shown. */
                displayName: string;
                /** @description The integration's own id of the person; stored only as a masking token (tok_…). */
                id: string;
            };
        };
        CommentDetail: {
            analysis: {
                keywords: string[];
                /** @enum {string} */
                sentiment: "positive" | "neutral" | "negative";
                /** @description AFINN's average per word. */
                sentimentScore: number;
                topics: string[];
            } | null;
            /** Format: uuid */
            assetId: string;
            assignee: components["schemas"]["CommentPerson"] | null;
            attachments: {
                name: string | null;
                url: string;
            }[];
            author: components["schemas"]["CommentPerson"];
            /** Format: date-time */
            createdAt: string;
            deleted: boolean;
            /** @description 0 for a thread; replies nest at most 5 levels. */
            depth: number;
            /** @description How many times the text was edited. */
            edited: number;
            /** @description The texts edits replaced, oldest first. */
            history: {
                /** Format: date-time */
                editedAt: string;
                revision: number;
                text: string;
            }[];
            /** Format: uuid */
            id: string;
            mentions: components["schemas"]["CommentPerson"][];
            parentId: string | null;
            reactions: components["schemas"]["CommentReactionCount"][];
            region: {
                height: number;
                width: number;
                x: number;
                y: number;
            } | null;
            /** @description Threads only. */
            status: ("open" | "in_progress" | "resolved" | "wont_fix") | null;
            /** @description Plain text; empty once deleted. */
            text: string;
            /**
             * Format: uuid
             * @description The top-level comment of the thread (itself for a top-level comment).
             */
            threadId: string;
            /** @description ms into the media, or null. */
            timestamp: number | null;
            /** @description Threads only. */
            type: ("note" | "issue" | "question" | "approval") | null;
            /** Format: date-time */
            updatedAt: string;
        };
        CommentEditInput: {
            author: {
                /** @description The name shown. */
                displayName: string;
                /** @description The integration's own id of the person; stored only as a masking token (tok_…). */
                id: string;
            };
            /** @description Plain text, at most 5000 characters (413 beyond). Stored and returned as given: never HTML. */
            text: string;
        };
        CommentPage: {
            /** @description Counts over the asset's live threads matching the filters. */
            facets: {
                keywords: {
                    count: number;
                    value: string;
                }[];
                sentiment: {
                    count: number;
                    value: string;
                }[];
                status: {
                    count: number;
                    value: string;
                }[];
                topics: {
                    count: number;
                    value: string;
                }[];
                type: {
                    count: number;
                    value: string;
                }[];
            };
            items: components["schemas"]["CommentThread"][];
            nextCursor: string | null;
        };
        CommentPerson: {
            displayName: string;
            /** @description The person's masking token (tok_…), or `erased`. */
            token: string;
        };
        CommentReactionCount: {
            count: number;
            emoji: string;
        };
        CommentReactionInput: {
            author: {
                /** @description The name shown. */
                displayName: string;
                /** @description The integration's own id of the person; stored only as a masking token (tok_…). */
                id: string;
            };
            /** @description An emoji (or a short code such as :+1:). */
            emoji: string;
        };
        CommentThread: {
            analysis: {
                keywords: string[];
                /** @enum {string} */
                sentiment: "positive" | "neutral" | "negative";
                /** @description AFINN's average per word. */
                sentimentScore: number;
                topics: string[];
            } | null;
            /** Format: uuid */
            assetId: string;
            assignee: components["schemas"]["CommentPerson"] | null;
            attachments: {
                name: string | null;
                url: string;
            }[];
            author: components["schemas"]["CommentPerson"];
            /** Format: date-time */
            createdAt: string;
            deleted: boolean;
            /** @description 0 for a thread; replies nest at most 5 levels. */
            depth: number;
            /** @description How many times the text was edited. */
            edited: number;
            /** Format: uuid */
            id: string;
            mentions: components["schemas"]["CommentPerson"][];
            parentId: string | null;
            reactions: components["schemas"]["CommentReactionCount"][];
            region: {
                height: number;
                width: number;
                x: number;
                y: number;
            } | null;
            replies: components["schemas"]["Comment"][];
            /** @description Threads only. */
            status: ("open" | "in_progress" | "resolved" | "wont_fix") | null;
            /** @description Plain text; empty once deleted. */
            text: string;
            /**
             * Format: uuid
             * @description The top-level comment of the thread (itself for a top-level comment).
             */
            threadId: string;
            /** @description ms into the media, or null. */
            timestamp: number | null;
            /** @description Threads only. */
            type: ("note" | "issue" | "question" | "approval") | null;
            /** Format: date-time */
            updatedAt: string;
        };
        CommentTransitionInput: {
            /** @description Who is to act on it; null unassigns; absent keeps the assignee. */
            assignee?: {
                /** @description The name shown. */
                displayName: string;
                /** @description The integration's own id of the person; stored only as a masking token (tok_…). */
                id: string;
            } | null;
            /** @description Who makes the change (audited as a masking token). */
            author: {
                /** @description The name shown. */
                displayName: string;
                /** @description The integration's own id of the person; stored only as a masking token (tok_…). */
                id: string;
            };
            /** @enum {string} */
            status: "open" | "in_progress" | "resolved" | "wont_fix";
        };
        /**
         * @example {
         *       "disabled": 1,
         *       "healthy": 3,
         *       "unhealthy": 1,
         *       "unhealthyControllers": [
         *         {
         *           "id": "6a1f0c2e-3b4d-4e5f-9a0b-1c2d3e4f5a6b",
         *           "kind": "mrss",
         *           "lastError": "the feed is not well-formed XML",
         *           "lastRunAt": "2026-11-01T03:00:00.000Z",
         *           "lastSyncAt": "2026-10-31T03:00:00.000Z",
         *           "name": "TED talks feed"
         *         }
         *       ],
         *       "unknown": 0
         *     }
         */
        ConnectorHealth: {
            /** @description Disabled controllers, whatever their last run said. */
            disabled: number;
            /** @description Enabled controllers whose last run succeeded. */
            healthy: number;
            /** @description Enabled controllers whose last run failed. */
            unhealthy: number;
            /** @description The unhealthy ones, longest failing first (never synced first), at most 50. */
            unhealthyControllers: {
                /** Format: uuid */
                id: string;
                /** @description The feed kind (GET /v1/controllers/{id} has its configuration). */
                kind: string;
                /** @description What its last run failed with. */
                lastError: string | null;
                lastRunAt: string | null;
                /** @description Its last successful sync; null when it never had one. */
                lastSyncAt: string | null;
                name: string;
            }[];
            /** @description Enabled controllers not run yet. */
            unknown: number;
        };
        Controller: {
            configuration: {
                [key: string]: unknown;
            };
            /** Format: date-time */
            createdAt: string;
            createdBy: string;
            /**
             * @description ingress: pulls assets in from a source; egress: pushes assets’ enrichment out.
             * @enum {string}
             */
            direction: "ingress" | "egress";
            enabled: boolean;
            /**
             * @description unknown until the first run ends; unhealthy while its last run failed (lastError says why).
             * @enum {string}
             */
            health: "unknown" | "healthy" | "unhealthy";
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            kind: "mrss" | "json-feed" | "rest-listing" | "watched-folder" | "partner-push" | "sidecar-folder";
            lastError: string | null;
            /** @description When its last run started; the interval counts from it. */
            lastRunAt: string | null;
            /** @description When its last successful run ended. */
            lastSyncAt: string | null;
            /** @enum {string} */
            loggingLevel: "critical" | "error" | "warning" | "info";
            name: string;
            /** @description The assets' sourceSystem; with each item's id, what makes syncs idempotent (egress kinds: a name only). */
            sourceSystem: string;
            syncIntervalMinutes: number;
            /** @description A run holds the controller now. */
            syncing: boolean;
            /** Format: date-time */
            updatedAt: string;
        };
        ControllerList: {
            items: components["schemas"]["Controller"][];
        };
        /**
         * @example {
         *       "syncIntervalMinutes": 60
         *     }
         * @example {
         *       "enabled": false
         *     }
         */
        ControllerPatchInput: {
            /** @description A whole new configuration, checked against the controller's kind; a new URL starts the feed afresh. */
            configuration?: {
                [key: string]: unknown;
            };
            /** @description A disabled controller is not synced on schedule; POST …/sync still runs it. */
            enabled?: boolean;
            /**
             * @description The controller's own log lines at and above this level: info (each run's counts), warning (items refused), error (failed runs), critical (a configuration no longer valid).
             * @enum {string}
             */
            loggingLevel?: "critical" | "error" | "warning" | "info";
            /** @description What the controller pulls in, in words. */
            name?: string;
            /** @description Minutes between the starts of two scheduled syncs (default 15). A change takes effect at the schedule's next tick, without a restart. */
            syncIntervalMinutes?: number;
        };
        ControllerRun: {
            /** Format: uuid */
            controllerId: string;
            counts: components["schemas"]["ControllerRunCounts"];
            durationMs: number | null;
            error: string | null;
            /** @description The first items refused, with why. */
            failures: {
                error: string;
                sourceId: string;
            }[];
            /** @description Of durationMs, the time spent fetching pages. */
            fetchMs: number | null;
            finishedAt: string | null;
            /** Format: uuid */
            id: string;
            /** @description The feed answered 304 Not Modified: every item unchanged. */
            notModified: boolean;
            /** @description Pages read (ingress), or batches delivered (egress). */
            pages: number;
            /** Format: date-time */
            startedAt: string;
            /**
             * @description INTERRUPTED: the process running it stopped; the next run took the controller over.
             * @enum {string}
             */
            status: "RUNNING" | "SUCCEEDED" | "FAILED" | "INTERRUPTED";
            /** @enum {string} */
            trigger: "schedule" | "manual";
        };
        ControllerRunCounts: {
            /** @description Assets of gone items archived (`whenGone: archive`). */
            archived: number;
            /** @description Assets of gone items deleted (`whenGone: delete`). */
            deleted: number;
            failed: number;
            /** @description Items that left the feed since the run before; what becomes of their assets is the configuration's `whenGone`. */
            gone: number;
            new: number;
            /** @description Egress (partner-push): records the partner acknowledged, deletion records included. */
            pushed: number;
            unchanged: number;
            updated: number;
            /** @description Egress (sidecar-folder): sidecar files written, or removed for deleted and archived assets. */
            written: number;
        };
        ControllerRunPage: {
            items: components["schemas"]["ControllerRun"][];
            nextCursor: string | null;
        };
        CooccurringEntities: {
            entity: components["schemas"]["Entity"];
            items: {
                assetCount: number;
                name: string;
                /** @description How many of the counted assets carry both. */
                sharedAssets: number;
                /** @enum {string} */
                type: "KEYWORD" | "TOPIC" | "SPEAKER" | "BRAND" | "CONTRIBUTOR" | "TAG";
            }[];
        };
        CreatedApiKey: {
            /** @description Address ranges (CIDR) the key is accepted from; empty: any. */
            allowedIpRanges: string[];
            /** @description Origins the key is accepted from; empty: any. */
            allowedOrigins: string[];
            createdAt: string;
            /** Format: uuid */
            id: string;
            /** @description To the minute. */
            lastUsedAt: string | null;
            name: string;
            /** @description The first characters of the secret, to recognize a leaked key. */
            prefix: string;
            revokedAt: string | null;
            /** @enum {string} */
            role: "ADMIN" | "CONTENT_MANAGER" | "EDITOR" | "DEVELOPER" | "VIEWER";
            /** @description What the key may do. */
            scopes: ("assets:read" | "assets:write" | "assets:delete" | "assets:purge" | "search:read" | "tags:write" | "jobs:manage" | "keys:manage" | "export:read" | "webhooks:manage" | "workflows:manage" | "taxonomy:manage" | "events:write" | "metrics:read" | "masking:resolve")[];
            /** @description The bearer secret. Shown this once: only its SHA-256 hash is stored. */
            secret: string;
            /** @enum {string} */
            status: "ACTIVE" | "REVOKED";
        };
        CreatedWebhook: {
            /** Format: date-time */
            createdAt: string;
            /** @description key:<id> of the key that registered it. */
            createdBy: string;
            description: string;
            enabled: boolean;
            events: ("asset.created" | "asset.enriched" | "asset.updated" | "asset.failed" | "asset.deleted" | "tags.changed" | "asset.watched" | "asset.playback-error" | "comment.created" | "comment.status_changed" | "metadata.anomaly")[];
            /** Format: uuid */
            id: string;
            /** @description The signing secret (whsec_…), shown this once. Verify each delivery with it (docs/webhooks.md). */
            secret: string;
            /** Format: date-time */
            updatedAt: string;
            url: string;
        };
        CuratorQueries: {
            /** @description When the lists were last recomputed; null: never. */
            computedAt: string | null;
            /** @enum {string} */
            kind: "zero-results" | "low-clicks";
            queries: {
                /** @description Searches with at least one click on a result. */
                clickedSearches: number;
                /** @description Distinct people (user or session tokens) who searched it. */
                people: number;
                /** @description The query as most often spelled. */
                query: string;
                searches: number;
                zeroResultSearches: number;
            }[];
        };
        /**
         * @example {
         *       "keyId": "0b9e6c1a-5d0e-4f43-9a4e-3b7f1c2d8e90",
         *       "name": "CMS sync",
         *       "permissions": [
         *         "assets:read",
         *         "assets:write",
         *         "search:read"
         *       ],
         *       "prefix": "mdk_1a2b3c4d",
         *       "role": "EDITOR",
         *       "tenantId": "default"
         *     }
         */
        CurrentKey: {
            /** Format: uuid */
            keyId: string;
            name: string;
            /** @description What the key may do: its role's permissions, narrowed to its scopes. */
            permissions: ("assets:read" | "assets:write" | "assets:delete" | "assets:purge" | "search:read" | "tags:write" | "jobs:manage" | "keys:manage" | "export:read" | "webhooks:manage" | "workflows:manage" | "taxonomy:manage" | "events:write" | "metrics:read" | "masking:resolve")[];
            /** @description The first characters of the secret. */
            prefix: string;
            /** @enum {string} */
            role: "ADMIN" | "CONTENT_MANAGER" | "EDITOR" | "DEVELOPER" | "VIEWER";
            /** @description The key's tenant. */
            tenantId: string;
        };
        EmbeddingsBackfillRequestInput: {
            /**
             * @description Assets embedded per second at most, so that the backfill never crowds out fresh ingest.
             * @default 20
             */
            assetsPerSecond?: number;
        };
        Enrichment: {
            brands: {
                name: string;
                score: number;
            }[];
            keywords: {
                score: number;
                term: string;
            }[];
            /** @description Time-coded segments of the transcript. */
            moments: {
                end: number;
                keywords: string[];
                speaker: string | null;
                /** @description Seconds from the start of the media. */
                start: number;
                /** @description The start as hh:mm:ss, for a t= deep link. */
                timestamp: string;
            }[];
            speakers: {
                confidence?: number;
                name: string;
                /** @enum {string} */
                source: "ai" | "manual";
            }[];
            tags: {
                confidence: number;
                locked: boolean;
                name: string;
                /** @enum {string} */
                source: "ai" | "manual";
            }[];
            topics: {
                confidence: number;
                name: string;
                /** @enum {string} */
                source?: "ai" | "manual";
            }[];
        };
        Entity: {
            assetCount: number;
            name: string;
            /** @enum {string} */
            type: "KEYWORD" | "TOPIC" | "SPEAKER" | "BRAND" | "CONTRIBUTOR" | "TAG";
        };
        EntityAssets: {
            entity: components["schemas"]["Entity"];
            items: {
                asset: components["schemas"]["AssetSummary"];
                /** @description Where the entity occurs in the asset. */
                moments?: {
                    end: number;
                    start: number;
                    /** @description The start as h:mm:ss, for a t= deep link. */
                    timestamp: string;
                }[];
                /** @description Extractor score or confidence of the link. */
                weight: number;
            }[];
            nextOffset: number | null;
        };
        EntityList: {
            items: components["schemas"]["Entity"][];
            nextOffset: number | null;
        };
        EntityRef: {
            name: string;
            /** @enum {string} */
            type: "TAG" | "TOPIC" | "SPEAKER" | "BRAND" | "KEYWORD";
        };
        ErasureReport: {
            /**
             * Format: uuid
             * @description The audit record of this erasure (PERSON_ERASE in GET /v1/actions).
             */
            actionId: string;
            /** @description The assets changed (current state or history), at most 1,000. */
            changedAssetIds: string[];
            changedAssetsTotal: number;
            /** @description What changed, per place. All zero when the person is no longer found (a repeated erasure). */
            counts: {
                analytics: {
                    /** @description Tag, topic and speaker values that were the person, taken out of the analytics rollups and the events' asset dimensions (GET /v1/metrics grouped or filtered by them). */
                    dimensionValues: number;
                };
                /** @description Assets whose current state named the person: each rewritten as a new version. */
                assets: number;
                /** @description Earlier audit records whose details named the person. */
                auditRecords: number;
                /** @description Comments by the user (with userToken) made tombstones by an erased author, or that mentioned or assigned them. */
                comments: number;
                /** @description Raw interaction events erased (with userToken). */
                events: number;
                graph: {
                    /** @description Assets projected again into the graph. */
                    assets: number;
                    /** @description Entities removed (the person's entity node and others named with it). */
                    entities: number;
                };
                /** @description Moments of those assets that changed (their speaker cleared, a keyword dropped). */
                moments: number;
                search: {
                    /** @description Search documents projected again. */
                    documents: number;
                    /** @description Learned search queries naming the person removed (their suggestions and click boosts). */
                    queries: number;
                    /** @description Suggestions removed that only the name kept. */
                    suggestions: number;
                };
                /** @description Older version snapshots rewritten in place. */
                versions: number;
            };
            /** @description true: search and the graph were updated before this answer. false: a projection failed and its jobs follow. */
            projected: boolean;
            /** @description Assets left as they were: put under legal hold while the erasure ran. */
            skipped: {
                /** Format: uuid */
                assetId: string;
                /** @enum {string} */
                reason: "legal-hold";
            }[];
        };
        /**
         * @example {
         *       "name": "Mara Quill",
         *       "reason": "GDPR erasure request #4711"
         *     }
         */
        ErasureRequestInput: {
            /** @description A speaker's or contributor's name: erased as the exact name, case-insensitive, as whole words, from every asset of the tenant, their versions, search, suggestions, the graph and earlier audit records (docs/lifecycle.md, "Erasure"). Never stored: the audit record keeps a salted hash. */
            name?: string;
            /** @description Why: kept in the audit record (with the name erased from it). */
            reason: string;
            /** @description The person's pseudonymous user id in interaction events (the masking token of their userId, POST /v1/events/users/token): their raw events are erased too (needs masking:resolve). */
            userToken?: string;
        };
        /**
         * @example {
         *       "accepted": 2,
         *       "rejected": [
         *         {
         *           "detail": "unknown event type \"plya\": use a built-in type or register it first",
         *           "index": 1,
         *           "pointer": "/events/1/type"
         *         }
         *       ]
         *     }
         */
        EventBatchAccepted: {
            /** @description Events taken: durable in the event stream. */
            accepted: number;
            /** @description The events not taken, by index, and why. */
            rejected: components["schemas"]["EventRejection"][];
        };
        EventBatchInput: {
            /** @description At most 1000 events (413 past that). Each is judged alone: the valid ones are taken, the others reported by index. */
            events: components["schemas"]["InteractionEventInput"][];
        };
        EventRejection: {
            detail: string;
            /** @description The event's index in the batch. */
            index: number;
            /** @description A JSON pointer to the field at fault, e.g. `/events/3/occurredAt`. */
            pointer: string;
        };
        EventSettings: {
            /** @description Days raw events are kept after they occurred; the rollups are kept. */
            rawRetentionDays: number;
            /** @description Null while the tenant keeps the defaults. */
            updatedAt: string | null;
        };
        EventType: {
            /** Format: date-time */
            createdAt: string;
            description: string;
            name: string;
            /** Format: date-time */
            updatedAt: string;
        };
        EventTypeList: {
            /** @description The types every tenant has. */
            builtIn: ("play" | "progress" | "pause" | "seek" | "complete" | "error" | "search" | "impression" | "click" | "share")[];
            /** @description The types this tenant registered, by name. */
            items: components["schemas"]["EventType"][];
        };
        EventsProblem: {
            detail?: string;
            /** @description `/problems/events-rejected`: every event by index; `/problems/invalid-request`: each invalid field. */
            errors?: (components["schemas"]["EventRejection"] | {
                field: string;
                location: string;
                message: string;
            })[];
            instance?: string;
            status: number;
            title: string;
            /** @description A URI reference naming the problem type: `/problems/<kind>`, relative to the request URL, where the API documents it (docs/problems.md); `about:blank` when the status says it all (405, 406, 413, 415, 500). */
            type: string;
        } & {
            [key: string]: unknown;
        };
        FieldChange: {
            /** @description For lists: the items only the new value has. */
            added?: unknown[];
            /** @description A top-level field, or one level down as enrichment.tags. */
            field: string;
            new: unknown;
            /** @description The whole old value; for lists, `added`, `removed` and `updated` say what changed. */
            old: unknown;
            /** @description For lists: the items only the old value had. */
            removed?: unknown[];
            /** @description The change in words, e.g. "added tag 'climate'; locked tag 'education'". */
            summary: string;
            /** @description For lists: the items on both sides (matched by name) that differ, such as a tag locked. */
            updated?: {
                new: unknown;
                old: unknown;
            }[];
        };
        /**
         * @example {
         *       "asset": {
         *         "contributors": [],
         *         "createdAt": "2006-06-27T00:00:00.000Z",
         *         "description": "Sir Ken Robinson makes a case for an education system that nurtures creativity.",
         *         "enrichment": {
         *           "brands": [],
         *           "keywords": [
         *             {
         *               "score": 1,
         *               "term": "creativity"
         *             },
         *             {
         *               "score": 0.7759,
         *               "term": "schools kill creativity"
         *             },
         *             {
         *               "score": 0.7085,
         *               "term": "ken robinson"
         *             }
         *           ],
         *           "moments": [
         *             {
         *               "end": 15.6,
         *               "keywords": [
         *                 "creativity",
         *                 "education",
         *                 "literacy"
         *               ],
         *               "speaker": "Ken Robinson",
         *               "start": 12,
         *               "timestamp": "00:00:12"
         *             }
         *           ],
         *           "speakers": [
         *             {
         *               "confidence": 1,
         *               "name": "Ken Robinson",
         *               "source": "manual"
         *             }
         *           ],
         *           "tags": [
         *             {
         *               "confidence": 1,
         *               "locked": false,
         *               "name": "education",
         *               "source": "manual"
         *             },
         *             {
         *               "confidence": 1,
         *               "locked": false,
         *               "name": "creativity",
         *               "source": "manual"
         *             },
         *             {
         *               "confidence": 0.38795,
         *               "locked": false,
         *               "name": "schools kill creativity",
         *               "source": "ai"
         *             }
         *           ],
         *           "topics": [
         *             {
         *               "confidence": 0.5276,
         *               "name": "Education"
         *             }
         *           ]
         *         },
         *         "fileHash": "88eb2e39bc9c679d5d4e2f5523cdacf2c0d61102fd2d1da4ed85af7389b70f11",
         *         "id": "3f2b8c1e-6d4a-4c2f-9a7e-0b5d1e8f2a61",
         *         "operationalTags": [],
         *         "removedTags": [],
         *         "sourceId": "talk-66",
         *         "sourceSystem": "ted",
         *         "speakers": [
         *           "Ken Robinson"
         *         ],
         *         "status": "PROCESSED",
         *         "statusDetail": null,
         *         "tagDetails": [
         *           {
         *             "confidence": 1,
         *             "locked": false,
         *             "name": "education",
         *             "source": "given"
         *           },
         *           {
         *             "confidence": 1,
         *             "locked": false,
         *             "name": "creativity",
         *             "source": "given"
         *           },
         *           {
         *             "confidence": 0.38795,
         *             "locked": false,
         *             "name": "schools kill creativity",
         *             "source": "suggested"
         *           }
         *         ],
         *         "tags": [
         *           "education",
         *           "creativity",
         *           "schools kill creativity"
         *         ],
         *         "technicalMetadata": {
         *           "durationSeconds": 1164,
         *           "height": 1080,
         *           "mimeType": "video/mp4",
         *           "width": 1920
         *         },
         *         "title": "Do schools kill creativity?",
         *         "type": "VIDEO",
         *         "updatedAt": "2026-11-30T18:02:11.408Z",
         *         "version": 2
         *       },
         *       "duplicate": false
         *     }
         */
        IngestResult: {
            asset: components["schemas"]["AssetSummary"];
            /** @description True when the tenant already had this fileHash; nothing new was created. */
            duplicate: boolean;
        };
        /** @description One interaction event. `type` is a built-in type or one the tenant registered (PUT /v1/events/types/{name}). `userId` and `sessionId` are replaced by the tenant's masking tokens before anything stores them; with `consent: false` neither is kept. `assetId` must name an asset of the tenant. `occurredAt` at most 30 days old and 10 minutes ahead. See docs/events.md. */
        InteractionEventInput: {
            /** Format: uuid */
            assetId?: string;
            /** @default true */
            consent?: boolean;
            context?: {
                app?: string;
                country?: string;
                device?: string;
                network?: string;
                referrer?: string;
            };
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            occurredAt: string;
            position?: number;
            properties?: {
                [key: string]: string | number | boolean;
            };
            search?: {
                clickedRank?: number;
                query: string;
                resultIds?: string[];
                totalHits?: number;
            };
            sessionId?: string;
            type: string;
            userId?: string;
        };
        Job: {
            assetId: string | null;
            /** @description For enrichment runs: the asset's title now (null once the asset is gone). */
            assetTitle?: string | null;
            assetVersion: number | null;
            /** @description For background jobs: what they do, e.g. enrichment-backfill. */
            backgroundKind: string | null;
            /** @description For bulk tag changes (backgroundKind tags-bulk): what was asked. The changes: GET /v1/jobs/{id}/changes. */
            bulkTags?: components["schemas"]["BulkTagJob"] | null;
            capabilitiesCompleted: string[];
            capabilitiesFailed: string[];
            capabilitiesRequested: string[];
            /** Format: date-time */
            createdAt: string;
            /** @description For background jobs: who started it. */
            createdBy?: string;
            /** @description Failed past its last attempt; POST /v1/jobs/{id}/retry revives it. */
            deadLettered: boolean;
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            kind: "enrichment" | "background";
            lastError: string | null;
            /** @description For runs of the lifecycle rules (backgroundKind lifecycle-rules): its clock and counts so far. */
            lifecycle?: components["schemas"]["LifecycleJob"] | null;
            processed: number | null;
            progressPercent: number;
            retryConfig: {
                [key: string]: unknown;
            };
            retryCount: number;
            /** @enum {string} */
            status: "QUEUED" | "RUNNING" | "RETRYING" | "COMPLETED" | "FAILED";
            timingsMs: {
                [key: string]: number;
            };
            total: number | null;
            /** Format: date-time */
            updatedAt: string;
            workflow: string | null;
        };
        JobChange: {
            added: {
                name: string;
                /** @enum {string} */
                type: "TAG" | "TOPIC" | "SPEAKER" | "BRAND" | "KEYWORD";
            }[];
            /** Format: uuid */
            assetId: string;
            error: string | null;
            locked: {
                name: string;
                /** @enum {string} */
                type: "TAG" | "TOPIC" | "SPEAKER" | "BRAND" | "KEYWORD";
            }[];
            /**
             * @description CHANGED: a new version; UNCHANGED: it had the change already; SKIPPED: see error.
             * @enum {string}
             */
            outcome: "CHANGED" | "UNCHANGED" | "SKIPPED";
            removed: {
                name: string;
                /** @enum {string} */
                type: "TAG" | "TOPIC" | "SPEAKER" | "BRAND" | "KEYWORD";
            }[];
            /** @description The asset title now; null once the asset is gone. */
            title: string | null;
            unlocked: {
                name: string;
                /** @enum {string} */
                type: "TAG" | "TOPIC" | "SPEAKER" | "BRAND" | "KEYWORD";
            }[];
            /** @description The version the change made (or found). */
            version: number | null;
        };
        JobChangePage: {
            counts: {
                CHANGED: number;
                SKIPPED: number;
                UNCHANGED: number;
            };
            items: components["schemas"]["JobChange"][];
            nextCursor: string | null;
        };
        JobPage: {
            items: components["schemas"]["Job"][];
            nextCursor: string | null;
        };
        JsonFeedControllerConfigInput: {
            /**
             * @description Pages read at most per sync (a feed paged with next links or cursors).
             * @default 100
             */
            maxPages?: number;
            /** @description The assets' sourceSystem; with each item's id it makes a sync idempotent. Default: the kind and the feed's host, e.g. `mrss:videos.example.com`. */
            sourceSystem?: string;
            /** @description The feed: http or https, no credentials. Private, loopback and reserved addresses are refused unless the service allows them (WEBHOOK_ALLOW_PRIVATE), as for webhooks. */
            url: string;
            /**
             * @description What becomes of an item's asset once the item has left the feed: keep it as it is, archive it (hidden from search and related content, restorable), or delete it (a tombstone; not under legal hold).
             * @default keep
             * @enum {string}
             */
            whenGone?: "keep" | "archive" | "delete";
        };
        LifecycleJob: {
            archived: number;
            /**
             * Format: date-time
             * @description The clock every asset is weighed at (a preview at it lists the same).
             */
            at: string;
            deleted: number;
            /** @description Under legal hold, or still being enriched. */
            skipped: number;
            /** @enum {string} */
            trigger: "manual" | "schedule";
        };
        LifecyclePreview: {
            /** Format: date-time */
            at: string;
            items: components["schemas"]["LifecyclePreviewItem"][];
            /** @description A page weighs at most 5,000 assets: it may hold fewer items than asked and still go on. */
            nextCursor: string | null;
        };
        LifecyclePreviewItem: {
            /** @enum {string} */
            action: "ARCHIVE" | "DELETE";
            ageDays: number;
            /** Format: uuid */
            assetId: string;
            /**
             * Format: date-time
             * @description What the age is counted from.
             */
            createdAt: string;
            /** @description The rule that decides. */
            rule: {
                /** Format: uuid */
                id: string;
                name: string;
            };
            /** @description Why a run leaves it alone for now: under legal hold, or still being enriched. */
            skipped: ("legal-hold" | "enriching") | null;
            sourceSystem: string;
            /** @description The rule's archiveAfterDays or deleteAfterDays. */
            thresholdDays: number;
            title: string;
            /** @enum {string} */
            type: "VIDEO" | "IMAGE" | "AUDIO" | "TEXT";
        };
        LifecycleRule: {
            /** @description An inactive rule decides nothing. */
            active: boolean;
            /** @description Archive assets at least this many days old, counted from the asset's createdAt (docs/lifecycle.md#lifecycle-rules); null: never. */
            archiveAfterDays: number | null;
            /** Format: date-time */
            createdAt: string;
            /** @description key:<id> of the key that created it. */
            createdBy: string;
            /** @description Delete assets at least this many days old; later than archiveAfterDays, counted from the asset's createdAt (docs/lifecycle.md#lifecycle-rules); null: never. */
            deleteAfterDays: number | null;
            /** Format: uuid */
            id: string;
            /** @description Unique in the tenant. */
            name: string;
            /** @description Of the active rules matching an asset, the highest decides (ties: by name). */
            priority: number;
            /** @description Only assets from this source system; null: any. */
            sourceSystem: string | null;
            /** @description Only assets of this type; null: any type. */
            type: ("VIDEO" | "IMAGE" | "AUDIO" | "TEXT") | null;
            /** Format: date-time */
            updatedAt: string;
        };
        LifecycleRuleList: {
            /** @description In the order they are weighed. */
            items: components["schemas"]["LifecycleRule"][];
        };
        /**
         * @example {
         *       "active": false
         *     }
         * @example {
         *       "archiveAfterDays": 180
         *     }
         */
        LifecycleRulePatchInput: {
            /** @description An inactive rule decides nothing. */
            active?: boolean;
            /** @description Archive assets at least this many days old, counted from the asset's createdAt (docs/lifecycle.md#lifecycle-rules); null: never. */
            archiveAfterDays?: number | null;
            /** @description Delete assets at least this many days old; later than archiveAfterDays, counted from the asset's createdAt (docs/lifecycle.md#lifecycle-rules); null: never. */
            deleteAfterDays?: number | null;
            /** @description Unique in the tenant. */
            name?: string;
            /** @description Of the active rules matching an asset, the highest decides (ties: by name). */
            priority?: number;
            /** @description Only assets from this source system; null: any. */
            sourceSystem?: string | null;
            /** @description Only assets of this type; null: any type. */
            type?: ("VIDEO" | "IMAGE" | "AUDIO" | "TEXT") | null;
        };
        LinkResult: {
            link: components["schemas"]["AssetLink"];
            /** @description The asset version that holds the change. */
            version: number;
        };
        MetadataBatchResult: {
            items: {
                error?: string;
                index: number;
                record?: components["schemas"]["MetadataRecord"];
                /** @enum {string} */
                status: "stored" | "rejected";
            }[];
            rejected: number;
            stored: number;
        };
        MetadataKind: {
            builtIn: boolean;
            /** Format: date-time */
            createdAt?: string;
            createdBy?: string;
            description?: string;
            /** @description Registered although not backward compatible with the version before. */
            forced: boolean;
            kind: string;
            /** @description Rolling window in days; null keeps the full history. */
            retentionDays: number | null;
            schema: {
                [key: string]: unknown;
            };
            version: string;
        };
        MetadataKindList: {
            items: components["schemas"]["MetadataKind"][];
        };
        MetadataPatchInput: {
            /** @description After a 412: the version the change was first based on. The change, based on the current version, is recorded as conflict_resolved. */
            conflictResolvedFrom?: number;
            description?: string;
            operationalTags?: string[];
            title?: string;
            /** @description The asset version the change is based on, if not given as If-Match. */
            version?: number;
        };
        MetadataRecord: {
            context: {
                extras?: {
                    [key: string]: unknown;
                };
                jobId?: string;
                namespace?: string;
                runId?: string;
                tenant: string;
            };
            extras?: {
                [key: string]: unknown;
            };
            /** Format: uuid */
            id: string;
            kind: string;
            payload: {
                [key: string]: unknown;
            };
            /** Format: date-time */
            producedAt: string;
            producerId: string;
            quality?: number;
            /** Format: date-time */
            recordedAt: string;
            /** @description The version of the kind's schema that validated the payload. */
            schemaVersion: string;
            /** @description The record's position in the log (GET /v1/metadata/log). */
            seq: number;
            target: {
                extras: {
                    [key: string]: unknown;
                };
                id: string;
                type: string;
            };
            version?: string;
        };
        MetadataRecordPage: {
            items: components["schemas"]["MetadataRecord"][];
            nextCursor: string | null;
        };
        /**
         * @example {
         *       "from": "2026-11-01T00:00:00.000Z",
         *       "interval": "day",
         *       "metric": "views",
         *       "series": [
         *         {
         *           "group": "DE",
         *           "points": [
         *             {
         *               "t": "2026-11-01T00:00:00.000Z",
         *               "value": 700
         *             },
         *             {
         *               "t": "2026-11-02T00:00:00.000Z",
         *               "value": 820
         *             }
         *           ],
         *           "total": 1520
         *         }
         *       ],
         *       "to": "2026-11-03T00:00:00.000Z"
         *     }
         */
        Metrics: {
            /**
             * @description The values are estimates, not exact counts: unique viewers are approximate on every store (Postgres: PCSA sketches, about 4.9 % relative standard error; ClickHouse: `uniq`, under 1 %, and `uniqHLL12`, 1.63 %, for series without groups or filters and those grouped by topic, speaker, source system or type). docs/metrics.md says more.
             * @constant
             */
            approximate?: true;
            /** Format: date-time */
            from: string;
            /** @enum {string} */
            interval: "minute" | "hour" | "day";
            /** @enum {string} */
            metric: "views" | "uniqueViewers" | "watchTime" | "completionRate" | "errors" | "searches" | "zeroResultSearches" | "zeroResultRate" | "clickThroughRate" | "topAssets" | "trendingAssets" | "topQueries" | "zeroResultQueries" | "jobs" | "jobSuccessRate" | "jobLatency" | "ingestLag" | "projectionLag";
            /** @description Largest total first. */
            series: {
                /** @description The group (asset id, country, status, p95…); null for the one series without groupBy. */
                group: string | null;
                /** @description Every bucket of the range, oldest first; 0 where nothing happened. */
                points: {
                    /**
                     * Format: date-time
                     * @description The bucket's start (UTC).
                     */
                    t: string;
                    value: number;
                }[];
                /** @description Over the whole range: a sum, or for a rate the rate over the range. */
                total: number;
            }[];
            /** Format: date-time */
            to: string;
        };
        MrssControllerConfigInput: {
            /** @description The assets' sourceSystem; with each item's id it makes a sync idempotent. Default: the kind and the feed's host, e.g. `mrss:videos.example.com`. */
            sourceSystem?: string;
            /** @description The feed: http or https, no credentials. Private, loopback and reserved addresses are refused unless the service allows them (WEBHOOK_ALLOW_PRIVATE), as for webhooks. */
            url: string;
            /**
             * @description What becomes of an item's asset once the item has left the feed: keep it as it is, archive it (hidden from search and related content, restorable), or delete it (a tombstone; not under legal hold).
             * @default keep
             * @enum {string}
             */
            whenGone?: "keep" | "archive" | "delete";
        };
        NewApiKeyInput: {
            /** @description Client address ranges (CIDR) the key is accepted from, at most 50; 403 from elsewhere. The address is the connecting socket's: behind a proxy, that is the proxy (docs/security.md). */
            allowedIpRanges?: string[];
            /** @description Browser origins (scheme://host[:port]) the key is accepted from, at most 50. With any, a request without an allowed Origin gets 403, and the CORS routes (POST /v1/events) answer browsers of these origins only. For keys a web player carries. */
            allowedOrigins?: string[];
            /** @description What the key is for, e.g. "CMS sync". */
            name: string;
            /**
             * @description The key's role; the maker's own when absent.
             * @enum {string}
             */
            role?: "ADMIN" | "CONTENT_MANAGER" | "EDITOR" | "DEVELOPER" | "VIEWER";
            /** @description Narrows the role's permissions to these; all of the role's when absent. */
            scopes?: ("assets:read" | "assets:write" | "assets:delete" | "assets:purge" | "search:read" | "tags:write" | "jobs:manage" | "keys:manage" | "export:read" | "webhooks:manage" | "workflows:manage" | "taxonomy:manage" | "events:write" | "metrics:read" | "masking:resolve")[];
        };
        /**
         * @example {
         *       "createdAt": "2006-06-27T00:00:00Z",
         *       "description": "Sir Ken Robinson makes a case for an education system that nurtures creativity.",
         *       "sourceId": "talk-66",
         *       "sourceSystem": "ted",
         *       "speakers": [
         *         "Ken Robinson"
         *       ],
         *       "tags": [
         *         "education",
         *         "creativity"
         *       ],
         *       "technicalMetadata": {
         *         "durationSeconds": 1164,
         *         "height": 1080,
         *         "mimeType": "video/mp4",
         *         "width": 1920
         *       },
         *       "title": "Do schools kill creativity?",
         *       "transcript": "[00:00:12] Ken Robinson: Creativity now is as important in education as literacy.",
         *       "type": "VIDEO"
         *     }
         */
        NewAssetInput: {
            /**
             * @description People or organisations who made the asset: producer, director, photographer, editor, channel.
             * @default []
             */
            contributors?: string[];
            /** Format: date-time */
            createdAt?: string;
            /** @default  */
            description?: string;
            /** @description SHA-256 of the media file. When absent, it is computed from the type, title, description and transcript. */
            fileHash?: string;
            /** @default [] */
            operationalTags?: string[];
            sourceId?: string;
            /** @default api */
            sourceSystem?: string;
            /** @default [] */
            speakers?: string[];
            /** @default [] */
            tags?: string[];
            /** @default {} */
            technicalMetadata?: {
                bitrateKbps?: number;
                channels?: number;
                codec?: string;
                container?: string;
                durationSeconds?: number;
                fileSizeBytes?: number;
                frameRate?: number;
                height?: number;
                /**
                 * Format: uri
                 * @description The media file itself (http or https), which the web UI plays in a video or audio player when the browser can.
                 */
                mediaUrl?: string;
                mimeType?: string;
                /** @description Where the media lives or plays, e.g. youtube, broadcast. */
                platform?: string;
                sampleRateHz?: number;
                /**
                 * Format: uri
                 * @description An image that previews the media (http or https), shown by the web UI.
                 */
                thumbnailUrl?: string;
                /** @description Views or plays on that platform, as the source system counts them. sort=popularity and sort=trending order by it after what the tenant’s own interaction events show (assets without one count as 0). */
                viewCount?: number;
                width?: number;
            };
            title: string;
            /** @default  */
            transcript?: string;
            /** @enum {string} */
            type: "VIDEO" | "IMAGE" | "AUDIO" | "TEXT";
        };
        /**
         * @example {
         *       "author": {
         *         "displayName": "Ada",
         *         "id": "user-17"
         *       },
         *       "region": {
         *         "height": 0.1,
         *         "width": 0.2,
         *         "x": 0.7,
         *         "y": 0.05
         *       },
         *       "text": "The logo at 01:12 is the old one",
         *       "timestamp": 72000,
         *       "type": "issue"
         *     }
         */
        NewCommentInput: {
            attachments?: {
                name?: string;
                /** @description An absolute http(s) URL. */
                url: string;
            }[];
            author: {
                /** @description The name shown. */
                displayName: string;
                /** @description The integration's own id of the person; stored only as a masking token (tok_…). */
                id: string;
            };
            mentions?: {
                /** @description The name shown. */
                displayName: string;
                /** @description The integration's own id of the person; stored only as a masking token (tok_…). */
                id: string;
            }[];
            /** @description A region of the frame, normalised to 0..1 from the top left; it must lie inside the frame. */
            region?: {
                height: number;
                width: number;
                x: number;
                y: number;
            };
            /** @description Plain text, at most 5000 characters (413 beyond). Stored and returned as given: never HTML. */
            text: string;
            /** @description Where in the media the feedback points, in ms; a multiple of 100 (others are refused, not rounded). */
            timestamp?: number;
            /**
             * @description Default note.
             * @enum {string}
             */
            type?: "note" | "issue" | "question" | "approval";
        };
        NewCommentReplyInput: {
            attachments?: {
                name?: string;
                /** @description An absolute http(s) URL. */
                url: string;
            }[];
            author: {
                /** @description The name shown. */
                displayName: string;
                /** @description The integration's own id of the person; stored only as a masking token (tok_…). */
                id: string;
            };
            mentions?: {
                /** @description The name shown. */
                displayName: string;
                /** @description The integration's own id of the person; stored only as a masking token (tok_…). */
                id: string;
            }[];
            /** @description Plain text, at most 5000 characters (413 beyond). Stored and returned as given: never HTML. */
            text: string;
        };
        /**
         * @example {
         *       "configuration": {
         *         "url": "https://feeds.example.com/library.rss"
         *       },
         *       "kind": "mrss",
         *       "loggingLevel": "info",
         *       "name": "Brightcove library",
         *       "syncIntervalMinutes": 15
         *     }
         * @example {
         *       "configuration": {
         *         "path": "partners/acme/inbox",
         *         "whenGone": "archive"
         *       },
         *       "kind": "watched-folder",
         *       "name": "Partner inbox",
         *       "syncIntervalMinutes": 5
         *     }
         * @example {
         *       "configuration": {
         *         "batchSize": 100,
         *         "url": "https://partner.example.com/hooks/enrichment"
         *       },
         *       "kind": "partner-push",
         *       "name": "Acme enrichment feed"
         *     }
         * @example {
         *       "configuration": {
         *         "path": "exports/sidecars"
         *       },
         *       "kind": "sidecar-folder",
         *       "name": "Sidecars for the archive"
         *     }
         */
        NewControllerInput: {
            configuration: components["schemas"]["MrssControllerConfigInput"];
            /** @description A disabled controller is not synced on schedule; POST …/sync still runs it. */
            enabled?: boolean;
            /** @constant */
            kind: "mrss";
            /**
             * @description The controller's own log lines at and above this level: info (each run's counts), warning (items refused), error (failed runs), critical (a configuration no longer valid).
             * @enum {string}
             */
            loggingLevel?: "critical" | "error" | "warning" | "info";
            /** @description What the controller pulls in, in words. */
            name: string;
            /** @description Minutes between the starts of two scheduled syncs (default 15). A change takes effect at the schedule's next tick, without a restart. */
            syncIntervalMinutes?: number;
        } | {
            configuration: components["schemas"]["JsonFeedControllerConfigInput"];
            /** @description A disabled controller is not synced on schedule; POST …/sync still runs it. */
            enabled?: boolean;
            /** @constant */
            kind: "json-feed";
            /**
             * @description The controller's own log lines at and above this level: info (each run's counts), warning (items refused), error (failed runs), critical (a configuration no longer valid).
             * @enum {string}
             */
            loggingLevel?: "critical" | "error" | "warning" | "info";
            /** @description What the controller pulls in, in words. */
            name: string;
            /** @description Minutes between the starts of two scheduled syncs (default 15). A change takes effect at the schedule's next tick, without a restart. */
            syncIntervalMinutes?: number;
        } | {
            configuration: components["schemas"]["RestListingControllerConfigInput"];
            /** @description A disabled controller is not synced on schedule; POST …/sync still runs it. */
            enabled?: boolean;
            /** @constant */
            kind: "rest-listing";
            /**
             * @description The controller's own log lines at and above this level: info (each run's counts), warning (items refused), error (failed runs), critical (a configuration no longer valid).
             * @enum {string}
             */
            loggingLevel?: "critical" | "error" | "warning" | "info";
            /** @description What the controller pulls in, in words. */
            name: string;
            /** @description Minutes between the starts of two scheduled syncs (default 15). A change takes effect at the schedule's next tick, without a restart. */
            syncIntervalMinutes?: number;
        } | {
            configuration: components["schemas"]["WatchedFolderControllerConfigInput"];
            /** @description A disabled controller is not synced on schedule; POST …/sync still runs it. */
            enabled?: boolean;
            /** @constant */
            kind: "watched-folder";
            /**
             * @description The controller's own log lines at and above this level: info (each run's counts), warning (items refused), error (failed runs), critical (a configuration no longer valid).
             * @enum {string}
             */
            loggingLevel?: "critical" | "error" | "warning" | "info";
            /** @description What the controller pulls in, in words. */
            name: string;
            /** @description Minutes between the starts of two scheduled syncs (default 15). A change takes effect at the schedule's next tick, without a restart. */
            syncIntervalMinutes?: number;
        } | {
            configuration: components["schemas"]["PartnerPushControllerConfigInput"];
            /** @description A disabled controller is not synced on schedule; POST …/sync still runs it. */
            enabled?: boolean;
            /** @constant */
            kind: "partner-push";
            /**
             * @description The controller's own log lines at and above this level: info (each run's counts), warning (items refused), error (failed runs), critical (a configuration no longer valid).
             * @enum {string}
             */
            loggingLevel?: "critical" | "error" | "warning" | "info";
            /** @description What the controller pulls in, in words. */
            name: string;
            /** @description Minutes between the starts of two scheduled syncs (default 15). A change takes effect at the schedule's next tick, without a restart. */
            syncIntervalMinutes?: number;
        } | {
            configuration: components["schemas"]["SidecarFolderControllerConfigInput"];
            /** @description A disabled controller is not synced on schedule; POST …/sync still runs it. */
            enabled?: boolean;
            /** @constant */
            kind: "sidecar-folder";
            /**
             * @description The controller's own log lines at and above this level: info (each run's counts), warning (items refused), error (failed runs), critical (a configuration no longer valid).
             * @enum {string}
             */
            loggingLevel?: "critical" | "error" | "warning" | "info";
            /** @description What the controller pulls in, in words. */
            name: string;
            /** @description Minutes between the starts of two scheduled syncs (default 15). A change takes effect at the schedule's next tick, without a restart. */
            syncIntervalMinutes?: number;
        };
        NewControllerResult: {
            configuration: {
                [key: string]: unknown;
            };
            /** Format: date-time */
            createdAt: string;
            createdBy: string;
            /**
             * @description ingress: pulls assets in from a source; egress: pushes assets’ enrichment out.
             * @enum {string}
             */
            direction: "ingress" | "egress";
            enabled: boolean;
            /**
             * @description unknown until the first run ends; unhealthy while its last run failed (lastError says why).
             * @enum {string}
             */
            health: "unknown" | "healthy" | "unhealthy";
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            kind: "mrss" | "json-feed" | "rest-listing" | "watched-folder" | "partner-push" | "sidecar-folder";
            lastError: string | null;
            /** @description When its last run started; the interval counts from it. */
            lastRunAt: string | null;
            /** @description When its last successful run ended. */
            lastSyncAt: string | null;
            /** @enum {string} */
            loggingLevel: "critical" | "error" | "warning" | "info";
            name: string;
            /** @description partner-push only: the secret its requests are signed with, as webhooks are (`whsec_…`, docs/webhooks.md). Shown this once; keep it where the partner verifies signatures. */
            secret?: string;
            /** @description The assets' sourceSystem; with each item's id, what makes syncs idempotent (egress kinds: a name only). */
            sourceSystem: string;
            syncIntervalMinutes: number;
            /** @description A run holds the controller now. */
            syncing: boolean;
            /** Format: date-time */
            updatedAt: string;
        };
        /**
         * @example {
         *       "archiveAfterDays": 365,
         *       "deleteAfterDays": 1825,
         *       "name": "Old raw video",
         *       "sourceSystem": "TED",
         *       "type": "VIDEO"
         *     }
         */
        NewLifecycleRuleInput: {
            /**
             * @description An inactive rule decides nothing.
             * @default true
             */
            active?: boolean;
            /** @description Archive assets at least this many days old, counted from the asset's createdAt (docs/lifecycle.md#lifecycle-rules); null: never. */
            archiveAfterDays?: number | null;
            /** @description Delete assets at least this many days old; later than archiveAfterDays, counted from the asset's createdAt (docs/lifecycle.md#lifecycle-rules); null: never. */
            deleteAfterDays?: number | null;
            /** @description Unique in the tenant. */
            name: string;
            /**
             * @description Of the active rules matching an asset, the highest decides (ties: by name).
             * @default 0
             */
            priority?: number;
            /** @description Only assets from this source system; null: any. */
            sourceSystem?: string | null;
            /** @description Only assets of this type; null: any type. */
            type?: ("VIDEO" | "IMAGE" | "AUDIO" | "TEXT") | null;
        };
        NewLinkInput: {
            /**
             * @description Why the assets are related; shown as the reason.
             * @default
             */
            note?: string;
        };
        /**
         * @example {
         *       "kind": "partner_checksum",
         *       "retentionDays": 30,
         *       "schema": {
         *         "properties": {
         *           "ok": {
         *             "type": "boolean"
         *           }
         *         },
         *         "required": [
         *           "ok"
         *         ],
         *         "type": "object"
         *       },
         *       "version": "1.0.0"
         *     }
         */
        NewMetadataKindInput: {
            /** @description Register although not backward compatible (audited). */
            force?: boolean;
            /** @description The kind, not one of the built-in kinds. */
            kind: string;
            retentionDays?: number | null;
            /** @description JSON Schema (draft-07) of the kind's payload. */
            schema: {
                [key: string]: unknown;
            };
            /** @description Semantic version, higher than the newest. */
            version: string;
        };
        NewMetadataRecordBatchInput: {
            records: components["schemas"]["NewMetadataRecordInput"][];
        };
        /**
         * @example {
         *       "extras": {
         *         "window_start": "2026-12-01T00:00:00Z"
         *       },
         *       "kind": "sync_result",
         *       "payload": {
         *         "failed": 2,
         *         "ingested": 118,
         *         "itemCount": 120,
         *         "status": "SUCCEEDED"
         *       },
         *       "producerId": "partner.sync.v2",
         *       "target": {
         *         "id": "6f1c2a4e-8e55-4c55-9d3c-1d7c1f0e7a11",
         *         "type": "controller"
         *       }
         *     }
         */
        NewMetadataRecordInput: {
            context?: {
                extras?: {
                    [key: string]: unknown;
                };
                jobId?: string;
                namespace?: string;
                runId?: string;
            };
            extras?: {
                [key: string]: unknown;
            };
            /** @description The record's kind; its schema validates `payload`. */
            kind: string;
            payload: {
                [key: string]: unknown;
            };
            /**
             * Format: date-time
             * @description When the fact held; default now.
             */
            producedAt?: string;
            /** @description What produced it, e.g. `enrichment.v3`. */
            producerId: string;
            quality?: number;
            target: {
                extras?: {
                    [key: string]: unknown;
                };
                id: string;
                /** @description What the record describes: asset, controller, job, tenant, index, or another name. */
                type: string;
            };
            version?: string;
        };
        NewSavedSearchInput: {
            /** @description What the search finds, in words. */
            name: string;
            /** @description The search as GET /v1/search's query string, filters included (q=…&tag=…&type=…); a leading '?' is dropped. Stored as given: the search checks it when it runs. */
            query: string;
        };
        /**
         * @example {
         *       "events": [
         *         "asset.enriched",
         *         "tags.changed"
         *       ],
         *       "url": "https://cms.example.com/hooks/media"
         *     }
         */
        NewWebhookInput: {
            /** @description What the webhook is for. */
            description?: string;
            /** @description Deliveries are made only while enabled; true when absent. */
            enabled?: boolean;
            /** @description The events to deliver. */
            events: ("asset.created" | "asset.enriched" | "asset.updated" | "asset.failed" | "asset.deleted" | "tags.changed" | "asset.watched" | "asset.playback-error" | "comment.created" | "comment.status_changed" | "metadata.anomaly")[];
            /** @description Where deliveries are POSTed: http or https, no credentials. Private, loopback and reserved addresses are refused unless the service allows them (WEBHOOK_ALLOW_PRIVATE). */
            url: string;
        };
        NewWorkflowInput: {
            capabilities: ("keywords" | "topics" | "speakers" | "brands" | "moments" | "tags")[];
            /** @default  */
            description?: string;
            /** @default true */
            enabled?: boolean;
            name: string;
            /** @default 0 */
            priority?: number;
            /**
             * @description All must match; preprocessing_logic in the platform design.
             * @default []
             */
            rules?: {
                /** @enum {string} */
                field: "type" | "sourceSystem" | "title" | "description" | "transcript" | "tags" | "speakers" | "operationalTags" | "platform" | "codec";
                /** @enum {string} */
                op: "equals" | "contains";
                value: string;
            }[];
        };
        PartnerPushControllerConfigInput: {
            /**
             * @description Attempts per batch within one run (same webhook-id each time). When all fail, the run fails, the controller turns unhealthy and the cursor stays: the next run sends the batch again.
             * @default 3
             */
            attempts?: number;
            /**
             * @description Assets per batch: one signed POST (partner push), or files written before the cursor is saved.
             * @default 100
             */
            batchSize?: number;
            /**
             * @description Batches sent at most per sync; the next sync goes on from where this one stopped.
             * @default 50
             */
            maxBatches?: number;
            /** @description The partner's endpoint batches are POSTed to: http or https, no credentials. Private, loopback and reserved addresses are refused unless the service allows them (WEBHOOK_ALLOW_PRIVATE), as for webhooks. Each request is signed like a webhook (webhook-id, webhook-timestamp, webhook-signature) with the secret answered once when the controller is created. */
            url: string;
        };
        PathResult: {
            /** @description Nodes in order from `from` to `to`, and the links between them; null when none is within maxDepth. */
            path: components["schemas"]["Subgraph"] | null;
        };
        PipelineStatus: {
            /** @description The tenant's assets by status. */
            assets: {
                ARCHIVED: number;
                FAILED: number;
                /** @description Enriched. */
                PROCESSED: number;
                PROCESSING: number;
                QUEUED: number;
                STAGED: number;
                total: number;
            };
            /** Format: date-time */
            checkedAt: string;
            /** @description Assets QUEUED or PROCESSING at the recent enrichment rate; null without either. */
            estimatedSecondsLeft: number | null;
            /** @description Nothing waits: no asset QUEUED or PROCESSING, no enrichment run open, no event waiting for the relay. After an import, idle means every asset is enriched (or failed) and on its way to search. */
            idle: boolean;
            /** @description Enrichment runs not yet done, by status (GET /v1/jobs lists them). */
            jobs: {
                queued: number;
                retrying: number;
                running: number;
            };
            lastIngestAt: string | null;
            /** @description The last 60 minutes, oldest first, every minute listed. */
            minutes: {
                /** @description Enrichment runs completed. */
                enriched: number;
                /** @description Enrichment runs failed past their retries. */
                failed: number;
                ingested: number;
                /**
                 * Format: date-time
                 * @description The start of the minute.
                 */
                minute: string;
            }[];
            /** @description Events written but not yet relayed to the queue. */
            outboxPending: number;
            /** @description Averaged over the last 5 minutes. */
            rates: {
                enrichedPerMinute: number;
                failedPerMinute: number;
                ingestedPerMinute: number;
            };
        };
        /**
         * @description RFC 9457 problem details.
         * @example {
         *       "detail": "body.type: Invalid option: expected one of \"VIDEO\"|\"IMAGE\"|\"AUDIO\"|\"TEXT\"",
         *       "errors": [
         *         {
         *           "field": "type",
         *           "location": "body",
         *           "message": "Invalid option: expected one of \"VIDEO\"|\"IMAGE\"|\"AUDIO\"|\"TEXT\""
         *         },
         *         {
         *           "field": "title",
         *           "location": "body",
         *           "message": "Too small: expected string to have >=1 characters"
         *         }
         *       ],
         *       "instance": "/v1/assets",
         *       "status": 400,
         *       "title": "Bad Request",
         *       "type": "/problems/invalid-request"
         *     }
         * @example {
         *       "detail": "asset 3f2b8c1e-6d4a-4c2f-9a7e-0b5d1e8f2a61 not found",
         *       "instance": "/v1/assets/3f2b8c1e-6d4a-4c2f-9a7e-0b5d1e8f2a61",
         *       "status": 404,
         *       "title": "Not Found",
         *       "type": "/problems/not-found"
         *     }
         */
        Problem: {
            detail?: string;
            /** @description For 400s: each invalid field and why. */
            errors?: {
                field: string;
                location: string;
                message: string;
            }[];
            instance?: string;
            status: number;
            title: string;
            /** @description A URI reference naming the problem type: `/problems/<kind>`, relative to the request URL, where the API documents it (docs/problems.md); `about:blank` when the status says it all (405, 406, 413, 415, 500). */
            type: string;
        } & {
            [key: string]: unknown;
        };
        /**
         * @example {
         *       "checkedAt": "2026-11-01T03:00:12.000Z",
         *       "projections": [
         *         {
         *           "missing": 1,
         *           "orphaned": 0,
         *           "projection": "search",
         *           "stale": 0
         *         },
         *         {
         *           "missing": 0,
         *           "orphaned": 0,
         *           "projection": "graph",
         *           "stale": 0
         *         }
         *       ],
         *       "repaired": true,
         *       "stuck": 0,
         *       "unrepaired": 1,
         *       "unrepairedAssets": [
         *         {
         *           "assetId": "0b7f3c1e-2d4a-4f5b-8c9d-1e2f3a4b5c6d",
         *           "error": "the search index refused the document",
         *           "projections": [
         *             "search"
         *           ]
         *         }
         *       ]
         *     }
         */
        ProjectionDrift: {
            /** @description When the latest drift check that covered the tenant finished; null before the first. */
            checkedAt: string | null;
            /** @description The tenant's drift by projection and kind, as the check found it (before any repair). */
            projections: {
                /** @description Assets the projection lacks. */
                missing: number;
                /** @description Assets it holds that the canonical store no longer has. */
                orphaned: number;
                /** @description search, graph or coViews. */
                projection: string;
                /** @description Assets it holds at another version than the canonical one. */
                stale: number;
            }[];
            /** @description Whether that check was asked to repair what it found. */
            repaired: boolean;
            /** @description Assets stuck in QUEUED or PROCESSING past the grace period, with no job moving them on. */
            stuck: number;
            /** @description Drifted assets the check was asked to repair and could not (0 when it did not repair). */
            unrepaired: number;
            /** @description The first 20 of them. */
            unrepairedAssets: {
                /** Format: uuid */
                assetId: string;
                /** @description What they answered, cut to 500 characters. */
                error: string;
                /** @description The projections that refused it. */
                projections: string[];
            }[];
        };
        /**
         * @example {
         *       "rawRetentionDays": 30
         *     }
         */
        PutEventSettingsInput: {
            rawRetentionDays: number;
        };
        /**
         * @example {
         *       "description": "The viewer added the asset to a playlist."
         *     }
         */
        PutEventTypeInput: {
            /**
             * @description What the event means.
             * @default
             */
            description?: string;
        };
        /**
         * @example {
         *       "from": "2026-11-01T00:00:00.000Z",
         *       "interval": "hour",
         *       "points": [
         *         {
         *           "t": "2026-11-01T00:00:00.000Z",
         *           "value": 120
         *         },
         *         {
         *           "t": "2026-11-01T01:00:00.000Z",
         *           "value": 3
         *         }
         *       ],
         *       "to": "2026-11-01T02:00:00.000Z",
         *       "total": 3
         *     }
         */
        QueueDepth: {
            /** Format: date-time */
            from: string;
            /** @enum {string} */
            interval: "minute" | "hour" | "day";
            /** @description Every bucket of the range, oldest first: the runs not yet ended at its close. */
            points: {
                /**
                 * Format: date-time
                 * @description The bucket's start (UTC).
                 */
                t: string;
                value: number;
            }[];
            /** Format: date-time */
            to: string;
            /** @description The depth at the end of the range. */
            total: number;
        };
        /**
         * @example {
         *       "items": [
         *         {
         *           "asset": {
         *             "contributors": [],
         *             "createdAt": "2013-05-10T00:00:00.000Z",
         *             "description": "Ken Robinson on three principles that make the human mind flourish.",
         *             "enrichment": {
         *               "brands": [],
         *               "keywords": [
         *                 {
         *                   "score": 1,
         *                   "term": "death valley"
         *                 },
         *                 {
         *                   "score": 0.4225,
         *                   "term": "ken"
         *                 }
         *               ],
         *               "moments": [],
         *               "speakers": [
         *                 {
         *                   "confidence": 1,
         *                   "name": "Ken Robinson",
         *                   "source": "manual"
         *                 }
         *               ],
         *               "tags": [
         *                 {
         *                   "confidence": 1,
         *                   "locked": false,
         *                   "name": "education",
         *                   "source": "manual"
         *                 }
         *               ],
         *               "topics": []
         *             },
         *             "fileHash": "619a54e90ca785ee4e4e5fb6899c088245fa00a5a0a7dbcc39fa499c649877bf",
         *             "id": "9c4e7a02-1b3d-4f5e-8a6c-2d7f0e9b1c34",
         *             "operationalTags": [],
         *             "removedTags": [],
         *             "sourceId": "talk-1726",
         *             "sourceSystem": "ted",
         *             "speakers": [
         *               "Ken Robinson"
         *             ],
         *             "status": "PROCESSED",
         *             "statusDetail": null,
         *             "tagDetails": [
         *               {
         *                 "confidence": 1,
         *                 "locked": false,
         *                 "name": "education",
         *                 "source": "given"
         *               }
         *             ],
         *             "tags": [
         *               "education"
         *             ],
         *             "technicalMetadata": {},
         *             "title": "How to escape education's death valley",
         *             "type": "VIDEO",
         *             "updatedAt": "2026-11-30T18:02:12.050Z",
         *             "version": 2
         *           },
         *           "reasons": [
         *             {
         *               "contribution": 1.3863,
         *               "name": "Ken Robinson",
         *               "type": "SPEAKER"
         *             },
         *             {
         *               "contribution": 0.8318,
         *               "name": "education",
         *               "type": "TAG"
         *             },
         *             {
         *               "contribution": 0.2075,
         *               "name": "ken",
         *               "type": "KEYWORD"
         *             }
         *           ],
         *           "score": 2.4256
         *         }
         *       ]
         *     }
         */
        RelatedResult: {
            items: {
                asset: components["schemas"]["AssetSummary"];
                /** @description The shared entities behind the score, strongest first. */
                reasons: {
                    contribution: number;
                    /** @description CO_VIEWED: the number of sessions that played both assets. */
                    count?: number;
                    /** @description Where the entity occurs in the related asset: link to it with t=timestamp. */
                    moment?: {
                        end: number;
                        start: number;
                        timestamp: string;
                    };
                    name: string;
                    /**
                     * @description The shared entity type; TEXT for similar wording (name: the words in common); RELATED_TO for a link an editor made (name: its note); TEMPORAL for assets created close together (name: how far apart); CO_VIEWED for assets played in the same sessions (name: e.g. "12 sessions watched both", count: how many); SIMILAR_MEANING for assets close in meaning, by sentence embeddings (name: e.g. "close in meaning (cosine 0.78)"; moment: the related asset's moment that is close, when it is one).
                     * @enum {string}
                     */
                    type: "KEYWORD" | "TOPIC" | "SPEAKER" | "BRAND" | "CONTRIBUTOR" | "TAG" | "RELATED_TO" | "TEMPORAL" | "CO_VIEWED" | "TEXT" | "SIMILAR_MEANING";
                }[];
                score: number;
            }[];
        };
        ResolvedToken: {
            /**
             * Format: date-time
             * @description When the value was first masked.
             */
            createdAt: string;
            token: string;
            /** @description The value the token stands for. */
            value: string;
        };
        RestListingControllerConfigInput: {
            /**
             * @description The query parameter the cursor is sent in.
             * @default cursor
             */
            cursorParam?: string;
            /**
             * @description The field of a page holding its items.
             * @default items
             */
            itemsField?: string;
            /**
             * @description Pages read at most per sync (a feed paged with next links or cursors).
             * @default 100
             */
            maxPages?: number;
            /**
             * @description The field of a page holding the cursor of the next page (null or absent on the last page).
             * @default nextCursor
             */
            nextCursorField?: string;
            /** @description The assets' sourceSystem; with each item's id it makes a sync idempotent. Default: the kind and the feed's host, e.g. `mrss:videos.example.com`. */
            sourceSystem?: string;
            /** @description The feed: http or https, no credentials. Private, loopback and reserved addresses are refused unless the service allows them (WEBHOOK_ALLOW_PRIVATE), as for webhooks. */
            url: string;
            /**
             * @description What becomes of an item's asset once the item has left the feed: keep it as it is, archive it (hidden from search and related content, restorable), or delete it (a tombstone; not under legal hold).
             * @default keep
             * @enum {string}
             */
            whenGone?: "keep" | "archive" | "delete";
        };
        /**
         * @description RFC 9457 problem details for a change-feed cursor older than the log keeps.
         * @example {
         *       "detail": "the cursor is older than the log keeps (30 days): changes after it were pruned. Resync: list the assets in full (GET /v1/assets), then read the changes from resumeCursor.",
         *       "instance": "/v1/changes?cursor=48213-1077",
         *       "resumeCursor": "93112-50210",
         *       "retentionDays": 30,
         *       "status": 410,
         *       "title": "Gone",
         *       "type": "/problems/resync-required"
         *     }
         */
        ResyncProblem: {
            detail?: string;
            /** @description For 400s: each invalid field and why. */
            errors?: {
                field: string;
                location: string;
                message: string;
            }[];
            instance?: string;
            /** @description Where to read the log from once the assets are listed in full: the end of the log now. */
            resumeCursor: string | null;
            /** @description How many days the log keeps its entries. */
            retentionDays: number;
            status: number;
            title: string;
            /** @description A URI reference naming the problem type: `/problems/<kind>`, relative to the request URL, where the API documents it (docs/problems.md); `about:blank` when the status says it all (405, 406, 413, 415, 500). */
            type: string;
        } & {
            [key: string]: unknown;
        };
        RollbackRequestInput: {
            /** @description The current version the rollback is based on, when no If-Match header is sent. */
            expectedVersion?: number;
            /** @description Why; kept in the version history and audit. */
            reason?: string;
            /** @description The version whose snapshot to restore. */
            version: number;
        };
        RollbackResult: {
            /** @description What the rollback changed, as in a diff. */
            changedFields: string[];
            restoredFrom: number;
            /** @description What the rollback changed, in words. */
            summary: string;
            /** @description The new version that holds the restored state. */
            version: number;
        };
        RotatedControllerSecret: {
            configuration: {
                [key: string]: unknown;
            };
            /** Format: date-time */
            createdAt: string;
            createdBy: string;
            /**
             * @description ingress: pulls assets in from a source; egress: pushes assets’ enrichment out.
             * @enum {string}
             */
            direction: "ingress" | "egress";
            enabled: boolean;
            /**
             * @description unknown until the first run ends; unhealthy while its last run failed (lastError says why).
             * @enum {string}
             */
            health: "unknown" | "healthy" | "unhealthy";
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            kind: "mrss" | "json-feed" | "rest-listing" | "watched-folder" | "partner-push" | "sidecar-folder";
            lastError: string | null;
            /** @description When its last run started; the interval counts from it. */
            lastRunAt: string | null;
            /** @description When its last successful run ended. */
            lastSyncAt: string | null;
            /** @enum {string} */
            loggingLevel: "critical" | "error" | "warning" | "info";
            name: string;
            /** @description Until when the old secret signs too: each request carries a signature by each secret (two `v1,` entries in webhook-signature), so the receiver may switch at any time before it. Null: the old secret stopped at once. */
            previousSecretExpiresAt: string | null;
            /** @description The new secret requests are signed with from now on (`whsec_…`), in place of the old one. Shown this once. */
            secret: string;
            /** @description The assets' sourceSystem; with each item's id, what makes syncs idempotent (egress kinds: a name only). */
            sourceSystem: string;
            syncIntervalMinutes: number;
            /** @description A run holds the controller now. */
            syncing: boolean;
            /** Format: date-time */
            updatedAt: string;
        };
        RotatedWebhookSecret: {
            /** Format: date-time */
            createdAt: string;
            /** @description key:<id> of the key that registered it. */
            createdBy: string;
            description: string;
            enabled: boolean;
            events: ("asset.created" | "asset.enriched" | "asset.updated" | "asset.failed" | "asset.deleted" | "tags.changed" | "asset.watched" | "asset.playback-error" | "comment.created" | "comment.status_changed" | "metadata.anomaly")[];
            /** Format: uuid */
            id: string;
            /** @description Until when the old secret signs too: each request carries a signature by each secret (two `v1,` entries in webhook-signature), so the receiver may switch at any time before it. Null: the old secret stopped at once. */
            previousSecretExpiresAt: string | null;
            /** @description The new signing secret (whsec_…), shown this once. Requests are signed with it from now on. */
            secret: string;
            /** Format: date-time */
            updatedAt: string;
            url: string;
        };
        SavedSearch: {
            /** Format: date-time */
            createdAt: string;
            /** @description key:<id> of the key that saved it; it (or a keys:manage key) may delete it. */
            createdBy: string;
            /** Format: uuid */
            id: string;
            name: string;
            /** @description The search's query string, without the '?'. */
            query: string;
        };
        SavedSearchList: {
            items: components["schemas"]["SavedSearch"][];
        };
        /**
         * @example {
         *       "facets": {
         *         "sourceSystem": [
         *           {
         *             "count": 1,
         *             "value": "ted"
         *           }
         *         ],
         *         "speakers": [
         *           {
         *             "count": 1,
         *             "value": "Ken Robinson"
         *           }
         *         ],
         *         "tags": [
         *           {
         *             "count": 1,
         *             "value": "creativity"
         *           },
         *           {
         *             "count": 1,
         *             "value": "education"
         *           }
         *         ],
         *         "topics": [
         *           {
         *             "count": 1,
         *             "value": "Education"
         *           }
         *         ],
         *         "type": [
         *           {
         *             "count": 1,
         *             "value": "VIDEO"
         *           }
         *         ]
         *       },
         *       "hits": [
         *         {
         *           "asset": {
         *             "contributors": [],
         *             "createdAt": "2006-06-27T00:00:00.000Z",
         *             "description": "Sir Ken Robinson makes a case for an education system that nurtures creativity.",
         *             "enrichment": {
         *               "brands": [],
         *               "keywords": [
         *                 {
         *                   "score": 1,
         *                   "term": "creativity"
         *                 },
         *                 {
         *                   "score": 0.7759,
         *                   "term": "schools kill creativity"
         *                 },
         *                 {
         *                   "score": 0.7085,
         *                   "term": "ken robinson"
         *                 }
         *               ],
         *               "moments": [
         *                 {
         *                   "end": 15.6,
         *                   "keywords": [
         *                     "creativity",
         *                     "education",
         *                     "literacy"
         *                   ],
         *                   "speaker": "Ken Robinson",
         *                   "start": 12,
         *                   "timestamp": "00:00:12"
         *                 }
         *               ],
         *               "speakers": [
         *                 {
         *                   "confidence": 1,
         *                   "name": "Ken Robinson",
         *                   "source": "manual"
         *                 }
         *               ],
         *               "tags": [
         *                 {
         *                   "confidence": 1,
         *                   "locked": false,
         *                   "name": "education",
         *                   "source": "manual"
         *                 },
         *                 {
         *                   "confidence": 1,
         *                   "locked": false,
         *                   "name": "creativity",
         *                   "source": "manual"
         *                 },
         *                 {
         *                   "confidence": 0.38795,
         *                   "locked": false,
         *                   "name": "schools kill creativity",
         *                   "source": "ai"
         *                 }
         *               ],
         *               "topics": [
         *                 {
         *                   "confidence": 0.5276,
         *                   "name": "Education"
         *                 }
         *               ]
         *             },
         *             "fileHash": "88eb2e39bc9c679d5d4e2f5523cdacf2c0d61102fd2d1da4ed85af7389b70f11",
         *             "id": "3f2b8c1e-6d4a-4c2f-9a7e-0b5d1e8f2a61",
         *             "operationalTags": [],
         *             "removedTags": [],
         *             "sourceId": "talk-66",
         *             "sourceSystem": "ted",
         *             "speakers": [
         *               "Ken Robinson"
         *             ],
         *             "status": "PROCESSED",
         *             "statusDetail": null,
         *             "tagDetails": [
         *               {
         *                 "confidence": 1,
         *                 "locked": false,
         *                 "name": "education",
         *                 "source": "given"
         *               },
         *               {
         *                 "confidence": 1,
         *                 "locked": false,
         *                 "name": "creativity",
         *                 "source": "given"
         *               },
         *               {
         *                 "confidence": 0.38795,
         *                 "locked": false,
         *                 "name": "schools kill creativity",
         *                 "source": "suggested"
         *               }
         *             ],
         *             "tags": [
         *               "education",
         *               "creativity",
         *               "schools kill creativity"
         *             ],
         *             "technicalMetadata": {
         *               "durationSeconds": 1164,
         *               "height": 1080,
         *               "mimeType": "video/mp4",
         *               "width": 1920
         *             },
         *             "title": "Do schools kill creativity?",
         *             "type": "VIDEO",
         *             "updatedAt": "2026-11-30T18:02:11.408Z",
         *             "version": 2
         *           },
         *           "highlights": {
         *             "title": "Do schools kill <mark>creativity</mark>?",
         *             "transcript": "Robinson: <mark>Creativity</mark> now is as important in education as literacy"
         *           },
         *           "moment": {
         *             "start": 12,
         *             "timestamp": "00:00:12"
         *           },
         *           "score": 0.04918
         *         }
         *       ],
         *       "nextCursor": null,
         *       "total": {
         *         "exact": true,
         *         "value": 1
         *       }
         *     }
         */
        SearchResult: {
            /** @description With facets=true; each dimension counted with the other filters only. */
            facets?: {
                sourceSystem: {
                    count: number;
                    value: string;
                }[];
                speakers: {
                    count: number;
                    value: string;
                }[];
                tags: {
                    count: number;
                    value: string;
                }[];
                topics: {
                    count: number;
                    value: string;
                }[];
                type: {
                    count: number;
                    value: string;
                }[];
            };
            /** @description True when the result set was too large to count exactly (over 5,000 expected matches on the embedded index): the facet counts are estimated from a uniform sample of it. */
            facetsEstimated?: boolean;
            hits: {
                asset: components["schemas"]["AssetSummary"];
                /** @description True when the title or a speaker equals the whole query: such hits rank first. */
                exact?: boolean;
                /** @description With explain=true. */
                explanation?: {
                    exactMatch: number;
                    /** @description Blended ranking: the parts of the fused score (score = text + entities + neighbours + semantic + pinned). */
                    fusion?: {
                        entities: number;
                        neighbours: number;
                        pinned: number;
                        /** @description Semantic and hybrid search: the vector ranking’s share of the fused score. */
                        semantic?: number;
                        /** @description Rank in the vector ranking; null: not among its hits. */
                        semanticRank?: number | null;
                        /** @description Cosine similarity of the query and the asset’s nearest passage, -1 to 1. */
                        similarity?: number | null;
                        text: number;
                        /** @description Rank in the text ranking; null: brought in by the graph. */
                        textRank: number | null;
                        /** @description The BM25 score that terms and exactMatch explain. */
                        textScore: number | null;
                    };
                    /** @description Added for query terms near each other (term proximity); absent: nothing added. */
                    proximity?: number;
                    /** @description The hit's score, as above. */
                    score: number;
                    terms: {
                        contribution: number;
                        fields: string[];
                        idf: number;
                        /** @description The stemmed query term. */
                        term: string;
                        /** @description Field-weighted term frequency. */
                        tf: number;
                        /** @description Query weight: occurrences, lower for typo corrections. */
                        weight: number;
                    }[];
                };
                /** @description title, description, transcript → fragment, matches wrapped in <mark>. */
                highlights: {
                    [key: string]: string;
                };
                /** @description For a transcript match in a timed transcript: where it is, for a t= deep link. */
                moment?: {
                    start: number;
                    timestamp: string;
                };
                /** @description The relevance the hits are ordered by: with sort=relevance (the default with words), never higher than the hit before it, on this page or an earlier one. Text ranking: BM25 (plus 1,000 for a title or speaker equal to the whole query). Blended ranking: the reciprocal-rank-fusion score (1 added for such an exact match; past the fused top, the text rank's share 1/(61 + rank)). Only comparable within one search. 0 when browsing; with another sort, the text relevance, not the order. */
                score: number;
            }[];
            /** @description First page of a text search, for a key that may also read comments (assets:read): up to 10 assets whose time-coded feedback holds every word of q, each with its best moment, the filters applied. Feedback never ranks the hits. Absent: none matched, or the key may not read comments. */
            moments?: {
                asset: components["schemas"]["AssetSummary"];
                /** Format: uuid */
                commentId: string;
                /** @description The comment's text (at most 1,000 characters), matches in <mark>. */
                fragment: string;
                /**
                 * @description feedback: a time-coded comment on the asset. More kinds may come.
                 * @enum {string}
                 */
                kind: "feedback";
                /** @description Seconds into the media, for a t= deep link. */
                start: number;
                timestamp: string;
            }[];
            nextCursor: string | null;
            /** @description How the request was read where it may differ from what was meant. unknown-field: a name:value in q whose name is no field; it was searched as words. queryNotes says the same and more. */
            notices?: {
                /** @enum {string} */
                code: "unknown-field";
                message: string;
            }[];
            /** @description Where q was read other than as written (syntax=query reads operators only where they are well-formed, everything else as words, and never refuses prose): absent when q was read as written. */
            queryNotes?: {
                /** @description What was read other than as written. unclosed-quote: a quote without its pair; prose-quotes: quotation marks in prose (10 words or more besides the operators), not required phrases; literal-minus: a minus before no word (a dash); empty-field-value: a field name with no value right after the colon; invalid-field-value: a value that is none of the field's (type:film); unknown-field: a name:value whose name is no field. Each was searched as words. More codes may come. */
                code: string;
                message: string;
                /** @description The part of q it is about, as written. */
                text: string;
            }[];
            /** @description How many assets match, filters applied: exact up to 10,000, estimated past that. */
            total: {
                /** @description False when value is an estimate: past 10,000 matches they are not all counted (see docs/search-relevance.md#hit-count). */
                exact: boolean;
                value: number;
            };
        };
        SidecarFolderControllerConfigInput: {
            /**
             * @description Assets per batch: one signed POST (partner push), or files written before the cursor is saved.
             * @default 100
             */
            batchSize?: number;
            /**
             * @description Batches sent at most per sync; the next sync goes on from where this one stopped.
             * @default 50
             */
            maxBatches?: number;
            /** @description The folder `<assetId>.json` files are written to, relative to the tenant's folder under the service's controller folder root (`<CONTROLLER_FOLDER_ROOT>/<tenant id>/`). It must exist. Each file is written whole (a temporary file renamed over it); a deleted or archived asset's file is removed. */
            path: string;
        };
        /**
         * @description RFC 9457 problem details for a stale If-Match.
         * @example {
         *       "currentVersion": 3,
         *       "detail": "asset 3f2b8c1e-6d4a-4c2f-9a7e-0b5d1e8f2a61 is at version 3, not 2; review the changes and retry",
         *       "diff": [
         *         {
         *           "added": [
         *             {
         *               "confidence": 1,
         *               "locked": false,
         *               "name": "public schools",
         *               "source": "manual"
         *             }
         *           ],
         *           "field": "enrichment.tags",
         *           "new": [
         *             {
         *               "confidence": 1,
         *               "locked": true,
         *               "name": "education",
         *               "source": "manual"
         *             },
         *             {
         *               "confidence": 1,
         *               "locked": false,
         *               "name": "public schools",
         *               "source": "manual"
         *             }
         *           ],
         *           "old": [
         *             {
         *               "confidence": 1,
         *               "locked": false,
         *               "name": "education",
         *               "source": "manual"
         *             },
         *             {
         *               "confidence": 1,
         *               "locked": false,
         *               "name": "creativity",
         *               "source": "manual"
         *             }
         *           ],
         *           "removed": [
         *             {
         *               "confidence": 1,
         *               "locked": false,
         *               "name": "creativity",
         *               "source": "manual"
         *             }
         *           ],
         *           "summary": "added tag 'public schools'; removed tag 'creativity'; locked tag 'education'",
         *           "updated": [
         *             {
         *               "new": {
         *                 "confidence": 1,
         *                 "locked": true,
         *                 "name": "education",
         *                 "source": "manual"
         *               },
         *               "old": {
         *                 "confidence": 1,
         *                 "locked": false,
         *                 "name": "education",
         *                 "source": "manual"
         *               }
         *             }
         *           ]
         *         },
         *         {
         *           "added": [
         *             "creativity"
         *           ],
         *           "field": "enrichment.suppressedTags",
         *           "new": [
         *             "creativity"
         *           ],
         *           "old": null,
         *           "removed": [],
         *           "summary": "blocked tag 'creativity'",
         *           "updated": []
         *         },
         *         {
         *           "added": [],
         *           "field": "tags",
         *           "new": [
         *             "education"
         *           ],
         *           "old": [
         *             "education",
         *             "creativity"
         *           ],
         *           "removed": [
         *             "creativity"
         *           ],
         *           "summary": "removed given tag 'creativity'",
         *           "updated": []
         *         }
         *       ],
         *       "instance": "/v1/assets/3f2b8c1e-6d4a-4c2f-9a7e-0b5d1e8f2a61/tags",
         *       "status": 412,
         *       "summary": "added tag 'public schools'; removed tag 'creativity'; locked tag 'education'",
         *       "title": "Precondition Failed",
         *       "type": "/problems/stale-version"
         *     }
         */
        StaleVersionProblem: {
            currentVersion: number;
            detail?: string;
            /** @description What changed from the version the request named to the current one. */
            diff: components["schemas"]["FieldChange"][];
            /** @description For 400s: each invalid field and why. */
            errors?: {
                field: string;
                location: string;
                message: string;
            }[];
            instance?: string;
            status: number;
            /** @description The same change in words, tags as a curator sees them. */
            summary: string;
            title: string;
            /** @description A URI reference naming the problem type: `/problems/<kind>`, relative to the request URL, where the API documents it (docs/problems.md); `about:blank` when the status says it all (405, 406, 413, 415, 500). */
            type: string;
        } & {
            [key: string]: unknown;
        };
        Subgraph: {
            edges: {
                moments?: {
                    end: number;
                    start: number;
                    /** @description The start as h:mm:ss, for a t= deep link. */
                    timestamp: string;
                }[];
                /** @description An asset node id. */
                source: string;
                /** @description An entity node id. */
                target: string;
                weight: number;
            }[];
            nodes: {
                /** @description The asset id, or TYPE:normalized name for an entity. */
                id: string;
                /** @enum {string} */
                kind: "ASSET" | "KEYWORD" | "TOPIC" | "SPEAKER" | "BRAND" | "CONTRIBUTOR" | "TAG";
                /** @description The asset's title or the entity's name. */
                label: string;
            }[];
        };
        TagChange: {
            added: components["schemas"]["EntityRef"][];
            /** Format: uuid */
            assetId: string;
            locked: components["schemas"]["EntityRef"][];
            removed: components["schemas"]["EntityRef"][];
            /** @description Why the change does not apply to this asset (a locked tag, say); nothing changes on it. */
            skipped: string | null;
            /** @description Null when the asset no longer exists. */
            title: string | null;
            unlocked: components["schemas"]["EntityRef"][];
        };
        TagMergeInput: {
            /** @description The name they all become; it may be one of the assets' names already. */
            into: string;
            /** @description The names merged away. */
            sources: string[];
            /**
             * @description The entity type; TAG when absent.
             * @default TAG
             * @enum {string}
             */
            type?: "TAG" | "TOPIC" | "SPEAKER" | "BRAND" | "KEYWORD";
        };
        /**
         * @example {
         *       "add": [
         *         {
         *           "name": "public schools"
         *         },
         *         {
         *           "name": "Education",
         *           "type": "TOPIC"
         *         }
         *       ],
         *       "remove": [
         *         {
         *           "name": "creativity"
         *         }
         *       ],
         *       "version": 2
         *     }
         */
        TagPatchInput: {
            /**
             * @description Added as manual: kept through re-enrichment.
             * @default []
             */
            add?: {
                name: string;
                /**
                 * @description The entity type; TAG when absent.
                 * @default TAG
                 * @enum {string}
                 */
                type?: "TAG" | "TOPIC" | "SPEAKER" | "BRAND" | "KEYWORD";
            }[];
            /** @description After a 412: the version the change was first based on. The change, based on the current version, is recorded as conflict_resolved. */
            conflictResolvedFrom?: number;
            /**
             * @description A locked tag is never changed by a worker; a locked topic, speaker, brand or keyword is kept through every re-enrichment.
             * @default []
             */
            lock?: {
                name: string;
                /**
                 * @description The entity type; TAG when absent.
                 * @default TAG
                 * @enum {string}
                 */
                type?: "TAG" | "TOPIC" | "SPEAKER" | "BRAND" | "KEYWORD";
            }[];
            /**
             * @description Removed, and never added back by enrichment. A locked tag must be unlocked first.
             * @default []
             */
            remove?: {
                name: string;
                /**
                 * @description The entity type; TAG when absent.
                 * @default TAG
                 * @enum {string}
                 */
                type?: "TAG" | "TOPIC" | "SPEAKER" | "BRAND" | "KEYWORD";
            }[];
            /** @default [] */
            unlock?: {
                name: string;
                /**
                 * @description The entity type; TAG when absent.
                 * @default TAG
                 * @enum {string}
                 */
                type?: "TAG" | "TOPIC" | "SPEAKER" | "BRAND" | "KEYWORD";
            }[];
            /** @description The asset version the change is based on, if not given as If-Match. */
            version?: number;
        };
        TagRenameInput: {
            /** @description The name as assets carry it now (matched ignoring case and accents). */
            from: string;
            /** @description The new name. A change of spelling only (ai → AI) is a rename too. */
            to: string;
            /**
             * @description The entity type; TAG when absent.
             * @default TAG
             * @enum {string}
             */
            type?: "TAG" | "TOPIC" | "SPEAKER" | "BRAND" | "KEYWORD";
        };
        TagRenameRule: {
            from: string;
            to: string;
            /** @enum {string} */
            type: "TAG" | "TOPIC" | "SPEAKER" | "BRAND" | "KEYWORD";
        };
        TagRenameRules: {
            items: components["schemas"]["TagRenameRule"][];
        };
        Taxonomy: {
            /** @enum {string} */
            mode: "default" | "extend" | "replace";
            /** @description The effective taxonomy enrichment uses. */
            topics: components["schemas"]["TopicDefinition"][];
        };
        TaxonomyUpdateInput: {
            /**
             * @description extend: the defaults plus these (same name replaces); replace: these only.
             * @enum {string}
             */
            mode: "extend" | "replace";
            topics: components["schemas"]["TopicDefinitionInput"][];
        };
        TechnicalMetadata: {
            bitrateKbps?: number;
            channels?: number;
            codec?: string;
            container?: string;
            durationSeconds?: number;
            fileSizeBytes?: number;
            frameRate?: number;
            height?: number;
            /**
             * Format: uri
             * @description The media file itself (http or https), which the web UI plays in a video or audio player when the browser can.
             */
            mediaUrl?: string;
            mimeType?: string;
            /** @description Where the media lives or plays, e.g. youtube, broadcast. */
            platform?: string;
            sampleRateHz?: number;
            /**
             * Format: uri
             * @description An image that previews the media (http or https), shown by the web UI.
             */
            thumbnailUrl?: string;
            /** @description Views or plays on that platform, as the source system counts them. sort=popularity and sort=trending order by it after what the tenant’s own interaction events show (assets without one count as 0). */
            viewCount?: number;
            width?: number;
        };
        TopicDefinition: {
            /** @default [] */
            aliases: string[];
            /** @default [] */
            keywords: string[];
            name: string;
        };
        TopicDefinitionInput: {
            /** @default [] */
            aliases?: string[];
            /** @default [] */
            keywords?: string[];
            name: string;
        };
        UserErased: {
            /** @description Raw events deleted. */
            erased: number;
        };
        UserToken: {
            /** @description The token its events are stored under. */
            userToken: string;
        };
        /**
         * @example {
         *       "userId": "user-8812"
         *     }
         */
        UserTokenRequestInput: {
            /** @description The pseudonymous userId the events were sent with. */
            userId: string;
        };
        WatchedFolderControllerConfigInput: {
            /**
             * @description Media files read at most per sync, in path order. A folder holding more is read in part, and then marks nothing gone.
             * @default 1000
             */
            maxFiles?: number;
            /**
             * @description Largest sidecar JSON read; a larger one makes its file a failed item of the run.
             * @default 65536
             */
            maxSidecarBytes?: number;
            /** @description The folder to watch, relative to the tenant's folder under the service's controller folder root (`<CONTROLLER_FOLDER_ROOT>/<tenant id>/`), e.g. `partners/acme/inbox`. Media files in it and its subfolders become assets; `clip.json` beside `clip.mp4` is the clip's sidecar (title, description, transcript, tags, speakers, contributors, type, publishedAt, thumbnailUrl, durationSeconds). Symbolic links that lead out of the folder are skipped; the folder itself must really lie inside the tenant's folder. */
            path: string;
            /** @description The assets' sourceSystem; with each file's path relative to the folder (its sourceId) it makes a sync idempotent. Default: `watched-folder:` and the folder's path. */
            sourceSystem?: string;
            /**
             * @description What becomes of an item's asset once the item has left the feed: keep it as it is, archive it (hidden from search and related content, restorable), or delete it (a tombstone; not under legal hold).
             * @default keep
             * @enum {string}
             */
            whenGone?: "keep" | "archive" | "delete";
        };
        Webhook: {
            /** Format: date-time */
            createdAt: string;
            /** @description key:<id> of the key that registered it. */
            createdBy: string;
            description: string;
            enabled: boolean;
            events: ("asset.created" | "asset.enriched" | "asset.updated" | "asset.failed" | "asset.deleted" | "tags.changed" | "asset.watched" | "asset.playback-error" | "comment.created" | "comment.status_changed" | "metadata.anomaly")[];
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            updatedAt: string;
            url: string;
        };
        WebhookDelivery: {
            /** @description Attempts made, over every redelivery. */
            attempts: number;
            completedAt: string | null;
            /** Format: date-time */
            createdAt: string;
            /** @enum {string} */
            event: "asset.created" | "asset.enriched" | "asset.updated" | "asset.failed" | "asset.deleted" | "tags.changed" | "asset.watched" | "asset.playback-error" | "comment.created" | "comment.status_changed" | "metadata.anomaly";
            /**
             * Format: uuid
             * @description The idempotency id: sent as webhook-id on every attempt and redelivery.
             */
            id: string;
            lastAttemptAt: string | null;
            lastDurationMs: number | null;
            lastError: string | null;
            /** @description The start of the receiver's last answer, truncated; the rest is not kept. */
            lastResponse: string | null;
            /** @description The receiver's last HTTP status; null if none. */
            lastStatusCode: number | null;
            /** @description The body sent: { type, timestamp, data }. */
            payload: unknown;
            redeliveries: number;
            /**
             * @description PENDING until the receiver accepts it (SUCCEEDED) or the last attempt fails (FAILED).
             * @enum {string}
             */
            status: "PENDING" | "SUCCEEDED" | "FAILED";
            /** Format: uuid */
            webhookId: string;
        };
        WebhookDeliveryPage: {
            items: components["schemas"]["WebhookDelivery"][];
            nextCursor: string | null;
        };
        WebhookList: {
            items: components["schemas"]["Webhook"][];
        };
        /**
         * @example {
         *       "enabled": false
         *     }
         */
        WebhookPatchInput: {
            /** @description What the webhook is for. */
            description?: string;
            /** @description A disabled webhook gets no deliveries. */
            enabled?: boolean;
            /** @description The events to deliver. */
            events?: ("asset.created" | "asset.enriched" | "asset.updated" | "asset.failed" | "asset.deleted" | "tags.changed" | "asset.watched" | "asset.playback-error" | "comment.created" | "comment.status_changed" | "metadata.anomaly")[];
            /** @description Where deliveries are POSTed: http or https, no credentials. Private, loopback and reserved addresses are refused unless the service allows them (WEBHOOK_ALLOW_PRIVATE). */
            url?: string;
        };
        WebhookTestDelivery: {
            /** @description Attempts made, over every redelivery. */
            attempts: number;
            completedAt: string | null;
            /** Format: date-time */
            createdAt: string;
            /** @constant */
            event: "webhook.test";
            /**
             * Format: uuid
             * @description The idempotency id: sent as webhook-id on every attempt and redelivery.
             */
            id: string;
            lastAttemptAt: string | null;
            lastDurationMs: number | null;
            lastError: string | null;
            /** @description The start of the receiver's last answer, truncated; the rest is not kept. */
            lastResponse: string | null;
            /** @description The receiver's last HTTP status; null if none. */
            lastStatusCode: number | null;
            /** @description The body sent: { type, timestamp, data }. */
            payload: unknown;
            redeliveries: number;
            /**
             * @description PENDING until the receiver accepts it (SUCCEEDED) or the last attempt fails (FAILED).
             * @enum {string}
             */
            status: "PENDING" | "SUCCEEDED" | "FAILED";
            /** Format: uuid */
            webhookId: string;
        };
        Workflow: {
            capabilities: string[];
            /** Format: date-time */
            createdAt: string;
            description: string;
            enabled: boolean;
            /** Format: uuid */
            id: string;
            name: string;
            priority: number;
            rules: {
                /** @enum {string} */
                field: "type" | "sourceSystem" | "title" | "description" | "transcript" | "tags" | "speakers" | "operationalTags" | "platform" | "codec";
                /** @enum {string} */
                op: "equals" | "contains";
                value: string;
            }[];
            /** Format: date-time */
            updatedAt: string;
        };
        WorkflowPatchInput: {
            capabilities?: ("keywords" | "topics" | "speakers" | "brands" | "moments" | "tags")[];
            description?: string;
            enabled?: boolean;
            priority?: number;
            rules?: {
                /** @enum {string} */
                field: "type" | "sourceSystem" | "title" | "description" | "transcript" | "tags" | "speakers" | "operationalTags" | "platform" | "codec";
                /** @enum {string} */
                op: "equals" | "contains";
                value: string;
            }[];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ok";
                    };
                };
            };
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        components: {
                            analytics: {
                                kind: string;
                                /** @enum {string} */
                                status: "ok" | "degraded" | "down";
                            };
                            database: {
                                kind: string;
                                /** @enum {string} */
                                status: "ok" | "degraded" | "down";
                            };
                            graph: {
                                kind: string;
                                /** @enum {string} */
                                status: "ok" | "degraded" | "down";
                            };
                            queue: {
                                kind: string;
                                /** @enum {string} */
                                status: "ok" | "degraded" | "down";
                            };
                            search: {
                                kind: string;
                                /** @enum {string} */
                                status: "ok" | "degraded" | "down";
                            };
                        };
                        /** @description Whether the analytics store keeps up with the interaction-event stream. Informational: it does not change the status code. */
                        events: {
                            backlog: {
                                /** @description Stream entries not yet acknowledged (each one partition of a batch). */
                                entries: number;
                                /** @description Age of the oldest of them (0 when none). */
                                oldestSeconds: number;
                            } | null;
                            /**
                             * @description `behind`: the oldest event stream entry not yet recorded in the analytics store is older than EVENT_LAG_BEHIND_SECONDS; `unknown`: the stream did not answer in time.
                             * @enum {string}
                             */
                            status: "current" | "behind" | "unknown";
                        };
                        /** @description Whether search and the graph hold every change, from counters and the last drift check (no scan). Informational: it does not change the status code. */
                        projections: {
                            /** @description The drift check run at start has not finished yet. */
                            checkingAtStart: boolean;
                            lastDriftCheck: {
                                /** @description Assets missing, stale or orphaned in search or the graph. */
                                drifted: number;
                                /** Format: date-time */
                                finishedAt: string;
                                repaired: boolean;
                                /** @description Assets left QUEUED or PROCESSING past the grace period. */
                                stuck: number;
                            } | null;
                            /** @description Outbox events not yet relayed to the job queue. */
                            outboxPending: number | null;
                            /** @description Jobs waiting, running or waiting to retry. */
                            queuedJobs: number | null;
                            /**
                             * @description `behind`: outbox events or jobs wait to be done, or the last drift check found drift or stuck assets and did not repair them; `unknown`: the drift check at start is running, or a count could not be read.
                             * @enum {string}
                             */
                            status: "current" | "behind" | "unknown";
                        };
                        /** @enum {string} */
                        status: "ok" | "degraded" | "down";
                    };
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        components: {
                            analytics: {
                                kind: string;
                                /** @enum {string} */
                                status: "ok" | "degraded" | "down";
                            };
                            database: {
                                kind: string;
                                /** @enum {string} */
                                status: "ok" | "degraded" | "down";
                            };
                            graph: {
                                kind: string;
                                /** @enum {string} */
                                status: "ok" | "degraded" | "down";
                            };
                            queue: {
                                kind: string;
                                /** @enum {string} */
                                status: "ok" | "degraded" | "down";
                            };
                            search: {
                                kind: string;
                                /** @enum {string} */
                                status: "ok" | "degraded" | "down";
                            };
                        };
                        /** @description Whether the analytics store keeps up with the interaction-event stream. Informational: it does not change the status code. */
                        events: {
                            backlog: {
                                /** @description Stream entries not yet acknowledged (each one partition of a batch). */
                                entries: number;
                                /** @description Age of the oldest of them (0 when none). */
                                oldestSeconds: number;
                            } | null;
                            /**
                             * @description `behind`: the oldest event stream entry not yet recorded in the analytics store is older than EVENT_LAG_BEHIND_SECONDS; `unknown`: the stream did not answer in time.
                             * @enum {string}
                             */
                            status: "current" | "behind" | "unknown";
                        };
                        /** @description Whether search and the graph hold every change, from counters and the last drift check (no scan). Informational: it does not change the status code. */
                        projections: {
                            /** @description The drift check run at start has not finished yet. */
                            checkingAtStart: boolean;
                            lastDriftCheck: {
                                /** @description Assets missing, stale or orphaned in search or the graph. */
                                drifted: number;
                                /** Format: date-time */
                                finishedAt: string;
                                repaired: boolean;
                                /** @description Assets left QUEUED or PROCESSING past the grace period. */
                                stuck: number;
                            } | null;
                            /** @description Outbox events not yet relayed to the job queue. */
                            outboxPending: number | null;
                            /** @description Jobs waiting, running or waiting to retry. */
                            queuedJobs: number | null;
                            /**
                             * @description `behind`: outbox events or jobs wait to be done, or the last drift check found drift or stuck assets and did not repair them; `unknown`: the drift check at start is running, or a count could not be read.
                             * @enum {string}
                             */
                            status: "current" | "behind" | "unknown";
                        };
                        /** @enum {string} */
                        status: "ok" | "degraded" | "down";
                    };
                };
            };
        };
    };
    listActions: {
        parameters: {
            query?: {
                /** @description Page size, at most 100. */
                limit?: number;
                cursor?: string;
                /** @description Only this action type, e.g. ASSET_ROLLBACK, or ACCESS for denied requests. */
                type?: string;
                /** @description Started at or after. */
                from?: string;
                /** @description Started before. */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ActionRecordPage"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listApiKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyList"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewApiKeyInput"];
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedApiKey"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: the tenant already holds the most active keys it may; revoke one first. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    revokeApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: the tenant's last ADMIN key; make another first, or revoke it with the CLI. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listAssets: {
        parameters: {
            query?: {
                /** @description Page size, at most 100. */
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AssetPage"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    ingestAsset: {
        parameters: {
            query?: {
                /** @description Answer only once the assets are searchable and related (bounded wait; 202 on timeout). */
                wait?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewAssetInput"];
            };
        };
        responses: {
            /** @description Duplicate: the existing asset */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IngestResult"];
                };
            };
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IngestResult"];
                };
            };
            /** @description Created, but not yet searchable when the wait ran out */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IngestResult"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than the configured limit (BODY_LIMIT_BYTES). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    ingestAssetBatch: {
        parameters: {
            query?: {
                /** @description Answer only once the assets are searchable and related (bounded wait; 202 on timeout). */
                wait?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AssetBatchInput"];
            };
        };
        responses: {
            /** @description Nothing new: every asset was a duplicate */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchResult"];
                };
            };
            /** @description At least one asset created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchResult"];
                };
            };
            /** @description Created, but not all searchable when the wait ran out */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchResult"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than the configured limit (BODY_LIMIT_BYTES). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getAsset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Asset"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteAsset: {
        parameters: {
            query?: {
                /** @description Erase the asset: its row and every version snapshot go, and only the audit record of who, when and why stays (ADMIN, assets:purge; needs `reason`). Also purges an asset deleted before. */
                purge?: boolean;
                /** @description Why the asset is deleted or purged: kept in the audit record. Required with purge=true. */
                reason?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted (or purged) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: the asset is under legal hold (problem type /problems/legal-hold): lift the hold first. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    editAsset: {
        parameters: {
            query?: {
                /** @description Answer only once the assets are searchable and related (bounded wait; 202 on timeout). */
                wait?: boolean;
            };
            header?: {
                /** @description The asset version this change is based on (its ETag). A stale version gets 412. */
                "if-match"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MetadataPatchInput"];
            };
        };
        responses: {
            /** @description The asset as edited */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Asset"];
                };
            };
            /** @description Edited, but not yet searchable when the wait ran out */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Asset"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The asset is no longer at the version the request named; nothing was written. `currentVersion` and `diff` say what changed since. */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["StaleVersionProblem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listAssetActions: {
        parameters: {
            query?: {
                /** @description Page size, at most 100. */
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ActionRecordPage"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    archiveAsset: {
        parameters: {
            query?: {
                /** @description Why: kept in the version history and the audit record. */
                reason?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The asset as it now is */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Asset"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: the asset is being enriched, or (editing) archived. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listAssetComments: {
        parameters: {
            query?: {
                /** @description Comma-separated statuses. */
                status?: string;
                /** @description Comma-separated types. */
                type?: string;
                /** @description The author's id. */
                author?: string;
                /** @description Feedback at or after this timestamp (ms). */
                from?: number;
                /** @description Feedback at or before this timestamp (ms). */
                to?: number;
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommentPage"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description MASK_KEY is not configured: the `author` filter cannot be applied. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createAssetComment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewCommentInput"];
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Comment"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Past a bound of the comments API: the text, or the comments or emoji an asset holds. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over 60 comment changes a minute by one author, or the API key's rate limit; Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description MASK_KEY is not configured: authors cannot be pseudonymised, so nothing is written. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    streamAssetComments: {
        parameters: {
            query?: never;
            header?: {
                /** @description The id of the last event received: the stream resumes after it. */
                "last-event-id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An event stream, open until the client or the server closes it */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getAssetComment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                commentId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CommentDetail"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteAssetComment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                commentId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CommentDeletionInput"] | null;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Comment"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Past a bound of the comments API: the text, or the comments or emoji an asset holds. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over 60 comment changes a minute by one author, or the API key's rate limit; Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description MASK_KEY is not configured: authors cannot be pseudonymised, so nothing is written. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    editAssetComment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                commentId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CommentEditInput"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Comment"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: the comment was deleted, or edited the most times it may be. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Past a bound of the comments API: the text, or the comments or emoji an asset holds. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over 60 comment changes a minute by one author, or the API key's rate limit; Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description MASK_KEY is not configured: authors cannot be pseudonymised, so nothing is written. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    reactToAssetComment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                commentId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CommentReactionInput"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Comment"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: the comment was deleted. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Past a bound of the comments API: the text, or the comments or emoji an asset holds. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over 60 comment changes a minute by one author, or the API key's rate limit; Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description MASK_KEY is not configured: authors cannot be pseudonymised, so nothing is written. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    unreactToAssetComment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                commentId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CommentReactionInput"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Comment"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: the comment was deleted. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Past a bound of the comments API: the text, or the comments or emoji an asset holds. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over 60 comment changes a minute by one author, or the API key's rate limit; Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description MASK_KEY is not configured: authors cannot be pseudonymised, so nothing is written. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    replyToAssetComment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                commentId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewCommentReplyInput"];
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Comment"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: the comment replied to was deleted. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Past a bound of the comments API: the text, or the comments or emoji an asset holds. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over 60 comment changes a minute by one author, or the API key's rate limit; Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description MASK_KEY is not configured: authors cannot be pseudonymised, so nothing is written. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    transitionAssetComment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                commentId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CommentTransitionInput"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Comment"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: the workflow does not allow this move from the current status. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Past a bound of the comments API: the text, or the comments or emoji an asset holds. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over 60 comment changes a minute by one author, or the API key's rate limit; Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description MASK_KEY is not configured: authors cannot be pseudonymised, so nothing is written. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    setAssetLegalHold: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description true: the asset may be neither deleted nor purged until the hold is lifted. */
                    legalHold: boolean;
                    /** @description Why: kept in the audit record. */
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description The asset with its hold */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Asset"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listAssetLinks: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AssetLinks"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    linkAsset: {
        parameters: {
            query?: {
                /** @description Answer only once the assets are searchable and related (bounded wait; 202 on timeout). */
                wait?: boolean;
            };
            header?: {
                /** @description The asset version this change is based on (its ETag). A stale version gets 412. */
                "if-match"?: string;
            };
            path: {
                id: string;
                targetId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewLinkInput"];
            };
        };
        responses: {
            /** @description The link existed; its note is as given */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LinkResult"];
                };
            };
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LinkResult"];
                };
            };
            /** @description Saved, but not yet in related content when the wait ran out */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LinkResult"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: the asset already has as many links as it may have. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The asset is no longer at the version the request named; nothing was written. `currentVersion` and `diff` say what changed since. */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["StaleVersionProblem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    unlinkAsset: {
        parameters: {
            query?: {
                /** @description Answer only once the assets are searchable and related (bounded wait; 202 on timeout). */
                wait?: boolean;
            };
            header?: {
                /** @description The asset version this change is based on (its ETag). A stale version gets 412. */
                "if-match"?: string;
            };
            path: {
                id: string;
                targetId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed, but related content may still show it when the wait ran out */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The asset is no longer at the version the request named; nothing was written. `currentVersion` and `diff` say what changed since. */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["StaleVersionProblem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getRelatedAssets: {
        parameters: {
            query?: {
                /** @description Page size, at most 100. */
                limit?: number;
                /**
                 * @description Relate only through these signals, comma-separated (e.g. SPEAKER,TOPIC): shared entity types; RELATED_TO, links editors made; TEMPORAL, created within a day of each other (it only lifts assets related another way); TEXT, similar wording; CO_VIEWED, played in the same sessions (viewers also watched); SIMILAR_MEANING, close in meaning (tenants with semantic search on). Without it, all count.
                 * @example SPEAKER,TOPIC
                 */
                via?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RelatedResult"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    restoreAsset: {
        parameters: {
            query?: {
                /** @description Why: kept in the version history and the audit record. */
                reason?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The asset as it now is */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Asset"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: the asset is being enriched, or (editing) archived. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    rollbackAsset: {
        parameters: {
            query?: {
                /** @description Answer only once the assets are searchable and related (bounded wait; 202 on timeout). */
                wait?: boolean;
            };
            header?: {
                /** @description The asset version this change is based on (its ETag). A stale version gets 412. */
                "if-match"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RollbackRequestInput"];
            };
        };
        responses: {
            /** @description Restored; Location names the new version */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RollbackResult"];
                };
            };
            /** @description Restored, but not yet in search and related content when the wait ran out */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RollbackResult"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The asset is no longer at the version the request named; nothing was written. `currentVersion` and `diff` say what changed since. */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["StaleVersionProblem"];
                };
            };
            /** @description The rollback named no version to base it on: send If-Match or expectedVersion. */
            428: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    editAssetTags: {
        parameters: {
            query?: {
                /** @description Answer only once the assets are searchable and related (bounded wait; 202 on timeout). */
                wait?: boolean;
            };
            header?: {
                /** @description The asset version this change is based on (its ETag). A stale version gets 412. */
                "if-match"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TagPatchInput"];
            };
        };
        responses: {
            /** @description The asset as edited */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Asset"];
                };
            };
            /** @description Edited, but search and related content not yet updated when the wait ran out */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Asset"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: a locked tag must be unlocked before it is removed, or the asset is not enriched yet. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The asset is no longer at the version the request named; nothing was written. `currentVersion` and `diff` say what changed since. */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["StaleVersionProblem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listAssetVersions: {
        parameters: {
            query?: {
                /** @description Page size, at most 100. */
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AssetVersionPage"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getAssetVersion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                v: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AssetVersion"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    diffAssetVersion: {
        parameters: {
            query?: {
                /** @description The version to compare with; default the one before (for version 1, the empty state). */
                against?: number;
            };
            header?: never;
            path: {
                id: string;
                v: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AssetDiff"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getBrands: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BrandList"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putBrands: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BrandListInput"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BrandList"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listAssetChanges: {
        parameters: {
            query?: {
                /** @description Read on after this entry (its `cursor`, or the SSE `id`); from the start of the log without one. `Last-Event-ID`, when sent, wins over it. */
                cursor?: string;
                /** @description JSON: the page size (default 100, at most 1000). Streams: end after this many entries (default: no end). */
                limit?: number;
                /** @description Only these kinds of change (comma-separated or repeated); all without it. */
                type?: ("ingested" | "enriched" | "updated" | "archived" | "restored" | "failed" | "deleted" | "purged" | "erased")[];
                /** @description Streams only: once caught up, keep the stream open and send new entries as they are written (keep-alives in between). */
                follow?: boolean;
            };
            header?: {
                /** @description SSE: the `id` of the last event received, to resume after it. */
                "last-event-id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of the log (JSON), or the log as a stream */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AssetChangePage"];
                    "application/x-ndjson": string;
                    "text/event-stream": string;
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The cursor (or, without one, the start of the log) is older than the log keeps: changes after it were pruned. Nothing was read. Resync: list the assets in full, then read the changes from `resumeCursor`. */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ResyncProblem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listControllers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ControllerList"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createController: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewControllerInput"];
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NewControllerResult"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: the tenant already holds the most controllers it may; delete one first. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getController: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Controller"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteController: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateController: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ControllerPatchInput"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Controller"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    rotateControllerSecret: {
        parameters: {
            query?: {
                /** @description How long the old secret keeps signing beside the new one, in seconds (default 86400, a day; at most a week; 0: it stops at once). */
                graceSeconds?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RotatedControllerSecret"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listControllerRuns: {
        parameters: {
            query?: {
                /** @description Page size, at most 100. */
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ControllerRunPage"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    syncController: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ControllerRun"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: a run holds the controller; follow it in GET /v1/controllers/{id}/runs. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    startEmbeddingsBackfill: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EmbeddingsBackfillRequestInput"];
            };
        };
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: the tenant has semantic search off, so there is nothing to embed. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    startBackfill: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BackfillRequestInput"];
            };
        };
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    trainClassifiers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {boolean} */
                        queued: true;
                    };
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listEntities: {
        parameters: {
            query?: {
                type?: "KEYWORD" | "TOPIC" | "SPEAKER" | "BRAND" | "CONTRIBUTOR" | "TAG";
                /** @description Name prefix; case and accents are ignored. */
                q?: string;
                /** @description Page size, at most 100. */
                limit?: number;
                /** @description How many items to skip, at most 10,000. */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EntityList"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listEntityAssets: {
        parameters: {
            query?: {
                /** @description Page size, at most 100. */
                limit?: number;
                /** @description How many items to skip, at most 10,000. */
                offset?: number;
            };
            header?: never;
            path: {
                type: "KEYWORD" | "TOPIC" | "SPEAKER" | "BRAND" | "CONTRIBUTOR" | "TAG";
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EntityAssets"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listCooccurringEntities: {
        parameters: {
            query?: {
                /** @description Only entities of this type; every type when absent. */
                type?: "KEYWORD" | "TOPIC" | "SPEAKER" | "BRAND" | "CONTRIBUTOR" | "TAG";
                /** @description Page size, at most 100. */
                limit?: number;
            };
            header?: never;
            path: {
                type: "KEYWORD" | "TOPIC" | "SPEAKER" | "BRAND" | "CONTRIBUTOR" | "TAG";
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CooccurringEntities"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    erasePerson: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ErasureRequestInput"];
            };
        };
        responses: {
            /** @description What the erasure changed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErasureReport"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: an asset naming the person is under legal hold (problem type /problems/legal-hold, `assetIds`): nothing was erased. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postEvents: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EventBatchInput"];
            };
        };
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventBatchAccepted"];
                };
            };
            /** @description No event of the batch was valid (`/problems/events-rejected`, `errors` by index), or the body is not a batch. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["EventsProblem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description More than 1000 events, or a body over 8388608 bytes. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The event stream or the database is unavailable: nothing was accepted. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getEventSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventSettings"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putEventSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PutEventSettingsInput"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventSettings"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listEventTypes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventTypeList"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putEventType: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PutEventTypeInput"];
            };
        };
        responses: {
            /** @description Updated */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventType"];
                };
            };
            /** @description Registered */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventType"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: the tenant already registered the most event types it may; delete one first. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteEventType: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getEventUserToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserTokenRequestInput"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserToken"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    eraseEventUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The person's masking token (POST /v1/events/users/token gives it for a userId). */
                userToken: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserErased"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    exportAssetsCsv: {
        parameters: {
            query?: {
                /**
                 * @description Words, "quoted phrases" (must match), -exclusions, and field:value filters (type, source, status, tag, topic, speaker, brand), ranked by BM25. Read leniently: an operator applies only where it is well-formed, anything else is words (queryNotes says where). Empty browses.
                 * @example creativity speaker:"Ken Robinson" -politics
                 */
                q?: string;
                /** @description How q is read. query (the default): "phrases", -exclusions and field:value filters are syntax. plain: every word of q ranks, quotes, minus signs and colons included; for text nobody wrote as a query (prose, a pasted title, a natural-language question). Filters then come from the parameters only. */
                syntax?: "query" | "plain";
                /** @description In any case: type=video is VIDEO. */
                type?: ("VIDEO" | "IMAGE" | "AUDIO" | "TEXT")[];
                sourceSystem?: string[];
                /** @description In any case: status=processed is PROCESSED. */
                status?: ("STAGED" | "QUEUED" | "PROCESSING" | "PROCESSED" | "FAILED" | "ARCHIVED")[];
                tag?: string[];
                topic?: string[];
                speaker?: string[];
                brand?: string[];
                createdFrom?: string;
                createdTo?: string;
                /** @description Seconds. */
                durationMin?: number;
                /** @description Seconds. */
                durationMax?: number;
                resolution?: string;
                /** @description Only assets with an open issue: time-coded feedback of type issue, open or in progress (docs/comments.md). Feedback moments are then those of open issues. */
                openIssues?: boolean;
                /** @description Default: relevance with text, createdAt without. popularity: popularity learned from the tenant’s interaction events (views and watch time, decayed with a half-life), then the source system’s view count (technicalMetadata.viewCount), so a tenant without events keeps the source’s order. trending: recent views against the asset’s own baseline, then the same. Both are recomputed every POPULARITY_INTERVAL_MS; see docs/popularity.md. */
                sort?: "relevance" | "createdAt" | "popularity" | "trending";
                /** @description lexical: rank by the words (BM25). semantic: rank by meaning, the assets whose title, description or transcript moments are nearest the query in a sentence-embedding space (at most 100), exact title and speaker matches first. hybrid: both rankings fused by reciprocal rank fusion (with the graph too, as blend says), exact matches first; past the fused top the text ranking continues. Applies to relevance-ranked queries without phrases or exclusions, for tenants with semantic search on; otherwise the search is lexical. Filters narrow the ranking without re-ranking it. Default: the deployment setting SEARCH_MODE (docs/semantic-search.md). */
                mode?: "lexical" | "semantic" | "hybrid";
                /** @description Start the file with a UTF-8 byte order mark, so that Excel reads it as UTF-8. */
                bom?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The CSV file, streamed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getGraphNeighbourhood: {
        parameters: {
            query?: {
                /** @description Links away from the asset, 1 to 4. */
                depth?: number;
                /** @description Nodes returned at most (up to 500). */
                limit?: number;
            };
            header?: never;
            path: {
                assetId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Subgraph"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getGraphPath: {
        parameters: {
            query: {
                /** @description An asset id, or an entity as TYPE:name (e.g. SPEAKER:Jane Goodall). */
                from: string;
                /** @description An asset id, or an entity as TYPE:name (e.g. SPEAKER:Jane Goodall). */
                to: string;
                /** @description Longest path searched, in asset-entity links (2 links join two assets sharing an entity), at most 6. */
                maxDepth?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PathResult"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listJobs: {
        parameters: {
            query?: {
                /** @description FAILED lists the dead letters. */
                status?: "QUEUED" | "RUNNING" | "RETRYING" | "COMPLETED" | "FAILED";
                /** @description enrichment: runs of one asset; background: bulk tag changes, renames, backfills. Both when absent. */
                kind?: "enrichment" | "background";
                /** @description Only background jobs of this kind, e.g. tags-bulk. */
                backgroundKind?: string;
                /** @description Page size, at most 100. */
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobPage"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listJobChanges: {
        parameters: {
            query?: {
                outcome?: "CHANGED" | "UNCHANGED" | "SKIPPED";
                /** @description Page size, at most 100. */
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobChangePage"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    retryJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: only FAILED or RETRYING enrichment runs can be retried. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listLifecycleRules: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LifecycleRuleList"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createLifecycleRule: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewLifecycleRuleInput"];
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LifecycleRule"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: a rule of that name exists, or the tenant holds the most rules it may. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    previewLifecycleRules: {
        parameters: {
            query?: {
                /** @description The clock to weigh the assets at; default now. The cursor keeps the first page’s. */
                at?: string;
                /** @description Page size, at most 100. */
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LifecyclePreview"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    runLifecycleRules: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: a lifecycle run is in progress (jobId names it). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getLifecycleRule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LifecycleRule"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteLifecycleRule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateLifecycleRule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LifecycleRulePatchInput"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LifecycleRule"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: a rule of that name exists. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    resolveMaskingToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ResolvedToken"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The token was made with another masking key (or none is configured), so its value cannot be read; or the database is unavailable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getCurrentKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CurrentKey"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listMetadataKinds: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MetadataKindList"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    registerMetadataKind: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewMetadataKindInput"];
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MetadataKind"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: the version is not higher, not backward compatible, or the kind is built in. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getMetadataKind: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MetadataKind"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    tailMetadataLog: {
        parameters: {
            query?: {
                /** @description Only records of these kinds (repeated or comma-separated). */
                kind?: string[];
                /** @description Resume after this record `seq` (an SSE `id`); the Last-Event-ID header wins over it. Default: from the start. */
                after?: string;
                /** @description Default: by Accept (application/x-ndjson), else SSE. */
                format?: "sse" | "ndjson";
                /** @description Keep the stream open and send new records as they commit (true), or end once caught up (the default, as on /v1/changes). */
                follow?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description text/event-stream, or application/x-ndjson of MetadataRecord lines. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/x-ndjson": string;
                    "text/event-stream": string;
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    storeMetadataRecords: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description One record, or `records`: a batch of at most 500. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewMetadataRecordInput"] | components["schemas"]["NewMetadataRecordBatchInput"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MetadataBatchResult"];
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MetadataRecord"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than the limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getMetadataHistory: {
        parameters: {
            query: {
                /** @description The target as `type:id`, e.g. `asset:0b6c…`. */
                target: string;
                kind: string;
                /** @description Records produced at or after this. */
                from?: string;
                /** @description Records produced before this. */
                to?: string;
                /** @description Page size, at most 100. */
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MetadataRecordPage"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getLatestMetadataRecord: {
        parameters: {
            query: {
                /** @description The target as `type:id`, e.g. `asset:0b6c…`. */
                target: string;
                kind: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MetadataRecord"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    queryMetadataRecords: {
        parameters: {
            query?: {
                kind?: string;
                /** @description `type` (every target of a type) or `type:id`. */
                target?: string;
                /** @description Records produced at or after this. */
                from?: string;
                /** @description Records produced before this. */
                to?: string;
                /** @description Up to 8 filters `path:op:value` on the payload or extras, all to hold: the path is `payload.` or `extras.` and 1 to 5 property names (`extras.window_start`), op one of eq, ne, gt, gte, lt, lte; a numeric value compares as a number, true/false as booleans, else as a string. */
                filter?: string[];
                /** @description Page size, at most 100. */
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MetadataRecordPage"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query: {
                /** @description What to measure (docs/metrics.md defines each). */
                metric: "views" | "uniqueViewers" | "watchTime" | "completionRate" | "errors" | "searches" | "zeroResultSearches" | "zeroResultRate" | "clickThroughRate" | "topAssets" | "trendingAssets" | "topQueries" | "zeroResultQueries" | "jobs" | "jobSuccessRate" | "jobLatency" | "ingestLag" | "projectionLag";
                /** @description Inclusive. Default: `to` minus 7 days. */
                from?: string;
                /** @description Exclusive. Default: now. */
                to?: string;
                /** @description Bucket size. Default: minute up to 6 hours, hour up to 14 days, day beyond. */
                interval?: "minute" | "hour" | "day";
                /** @description One series per value of this dimension; which a metric takes is in docs/metrics.md. */
                groupBy?: "asset" | "tag" | "topic" | "speaker" | "sourceSystem" | "type" | "device" | "country" | "query" | "rank" | "status" | "workflow";
                /** @description With groupBy and for rankings: the series with the largest totals, at most 100. */
                limit?: number;
                assetId?: string[];
                tag?: string[];
                topic?: string[];
                speaker?: string[];
                sourceSystem?: string[];
                type?: ("VIDEO" | "IMAGE" | "AUDIO" | "TEXT")[];
                device?: string[];
                country?: string[];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Metrics"];
                };
            };
            /** @description Invalid query: from not before to, more than 1500 buckets, a groupBy or filter the metric does not take. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key or bearer token: missing, unknown, revoked, expired, wrong issuer or signature. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The key lacks metrics:read, or the token's scope does. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getConnectorHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConnectorHealth"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The key lacks metrics:read, or the token's scope does. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getProjectionDrift: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectionDrift"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The key lacks metrics:read, or the token's scope does. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getCuratorQueries: {
        parameters: {
            query: {
                /** @description `zero-results`: searches that found nothing, most such searches first; `low-clicks`: queries searched at least 5 times whose results were least often clicked. */
                kind: "zero-results" | "low-clicks";
                /** @description Page size, at most 100. */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CuratorQueries"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The key lacks metrics:read, or the token's scope does. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getQueueDepth: {
        parameters: {
            query?: {
                /** @description Inclusive. Default: `to` minus 7 days. */
                from?: string;
                /** @description Exclusive. Default: now. */
                to?: string;
                /** @description Bucket size. Default: minute up to 6 hours, hour up to 14 days, day beyond. */
                interval?: "minute" | "hour" | "day";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QueueDepth"];
                };
            };
            /** @description Invalid query: from not before to, or more than 1500 buckets. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key or bearer token: missing, unknown, revoked, expired, wrong issuer or signature. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The key lacks metrics:read, or the token's scope does. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getPipelineStatus: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PipelineStatus"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listSavedSearches: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SavedSearchList"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createSavedSearch: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewSavedSearchInput"];
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SavedSearch"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: the tenant already holds the most saved searches it may; delete one first. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getSavedSearch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SavedSearch"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteSavedSearch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    searchAssets: {
        parameters: {
            query?: {
                /**
                 * @description Words, "quoted phrases" (must match), -exclusions, and field:value filters (type, source, status, tag, topic, speaker, brand), ranked by BM25. Read leniently: an operator applies only where it is well-formed, anything else is words (queryNotes says where). Empty browses.
                 * @example creativity speaker:"Ken Robinson" -politics
                 */
                q?: string;
                /** @description How q is read. query (the default): "phrases", -exclusions and field:value filters are syntax. plain: every word of q ranks, quotes, minus signs and colons included; for text nobody wrote as a query (prose, a pasted title, a natural-language question). Filters then come from the parameters only. */
                syntax?: "query" | "plain";
                /** @description Page size, at most 100. */
                limit?: number;
                /** @description From the previous page; it carries the ranking statistics of page one. */
                cursor?: string;
                /** @description In any case: type=video is VIDEO. */
                type?: ("VIDEO" | "IMAGE" | "AUDIO" | "TEXT")[];
                sourceSystem?: string[];
                /** @description In any case: status=processed is PROCESSED. */
                status?: ("STAGED" | "QUEUED" | "PROCESSING" | "PROCESSED" | "FAILED" | "ARCHIVED")[];
                tag?: string[];
                topic?: string[];
                speaker?: string[];
                brand?: string[];
                createdFrom?: string;
                createdTo?: string;
                /** @description Seconds. */
                durationMin?: number;
                /** @description Seconds. */
                durationMax?: number;
                resolution?: string;
                /** @description Only assets with an open issue: time-coded feedback of type issue, open or in progress (docs/comments.md). Feedback moments are then those of open issues. */
                openIssues?: boolean;
                /** @description Default: relevance with text, createdAt without. popularity: popularity learned from the tenant’s interaction events (views and watch time, decayed with a half-life), then the source system’s view count (technicalMetadata.viewCount), so a tenant without events keeps the source’s order. trending: recent views against the asset’s own baseline, then the same. Both are recomputed every POPULARITY_INTERVAL_MS; see docs/popularity.md. */
                sort?: "relevance" | "createdAt" | "popularity" | "trending";
                /** @description Count tags, topics, speakers, types and sources over the filtered results. */
                facets?: boolean;
                /** @description Return per hit the matched terms, their fields and the score parts. */
                explain?: boolean;
                /** @description graph: fuse text relevance with graph proximity (assets of the speakers, topics and tags the query names, and assets related to the best hits) by reciprocal rank fusion. auto: the same for queries of at most 4 words that name a speaker, topic, tag, brand or contributor. Exact title and speaker matches stay on top. Applies to relevance-ranked queries without phrases or exclusions; filters narrow the fused ranking without re-ranking it. Past the fused top, the text ranking continues. Default: the deployment setting SEARCH_BLEND. */
                blend?: "none" | "graph" | "auto";
                /** @description lexical: rank by the words (BM25). semantic: rank by meaning, the assets whose title, description or transcript moments are nearest the query in a sentence-embedding space (at most 100), exact title and speaker matches first. hybrid: both rankings fused by reciprocal rank fusion (with the graph too, as blend says), exact matches first; past the fused top the text ranking continues. Applies to relevance-ranked queries without phrases or exclusions, for tenants with semantic search on; otherwise the search is lexical. Filters narrow the ranking without re-ranking it. Default: the deployment setting SEARCH_MODE (docs/semantic-search.md). */
                mode?: "lexical" | "semantic" | "hybrid";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SearchResult"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. A query past a cost limit (characters, clauses, or phrases, exclusions and filters) names it in `limit` and its value in `maximum`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover), or the search ran past its time limit (3000 ms; `limit`: `statementTimeoutMs`) and was cancelled. Retry after Retry-After, or narrow the query. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    suggest: {
        parameters: {
            query: {
                q: string;
                /** @description Page size, at most 100. */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Searches completing the prefix that several people of the tenant ran (at least 3), most people first: from the click learning (docs/clicks.md). Searching a value as q repeats it. Absent when there are none. */
                        queries?: {
                            /** @enum {string} */
                            kind: "query";
                            /** @description The query as most often spelled. */
                            value: string;
                        }[];
                        suggestions: {
                            /**
                             * Format: uuid
                             * @description For a title: the asset it is the title of, when exactly one asset carries it.
                             */
                            assetId?: string;
                            /** @description How many assets carry it. */
                            assets: number;
                            /** @enum {string} */
                            kind: "title" | "tag" | "speaker" | "topic";
                            value: string;
                        }[];
                    };
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    bulkEditTags: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BulkTagsInput"];
            };
        };
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: the query matches more assets than may change unconfirmed, or not the count confirmed. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    previewBulkTags: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BulkTagsPreviewRequestInput"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BulkTagsPreview"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    mergeTags: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TagMergeInput"];
            };
        };
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    renameTag: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TagRenameInput"];
            };
        };
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listTagRenames: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TagRenameRules"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getTaxonomy: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Taxonomy"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putTaxonomy: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TaxonomyUpdateInput"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Taxonomy"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listWebhooks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookList"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewWebhookInput"];
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedWebhook"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: the tenant already holds the most webhooks it may. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookPatchInput"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listWebhookDeliveries: {
        parameters: {
            query?: {
                /** @description FAILED lists the dead deliveries. */
                status?: "PENDING" | "SUCCEEDED" | "FAILED";
                /** @description Page size, at most 100. */
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDeliveryPage"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    redeliverWebhookDelivery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                deliveryId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDelivery"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: the webhook is disabled; enable it to redeliver. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    rotateWebhookSecret: {
        parameters: {
            query?: {
                /** @description How long the old secret keeps signing beside the new one, in seconds (default 86400, a day; at most a week; 0: it stops at once). */
                graceSeconds?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RotatedWebhookSecret"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    testWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookTestDelivery"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: the webhook is disabled; enable it to send a test. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getWebhookTestDelivery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                deliveryId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookTestDelivery"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listWorkflows: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Workflow"][];
                    };
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createWorkflow: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewWorkflowInput"];
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Workflow"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Conflict: a workflow with this name already exists. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateWorkflow: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WorkflowPatchInput"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Workflow"];
                };
            };
            /** @description Invalid request: `detail` names the first invalid field, `errors` each of them. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, unknown or revoked. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key lacks the route's permission; the denial is audited. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such resource in the tenant of the API key. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Over the rate limit (per API key, or per client address without a valid key); Retry-After says when to try again. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An unexpected error; the details are logged, not shown. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable (a restart or failover); nothing was written. Retry after Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
