-- The canonical write (issue 23): an INGEST version no longer repeats its asset.
--
-- An ingest writes the asset row and its first version in one transaction, and until then the
-- snapshot was the whole asset again as JSON (the transcript twice). Now an ingest's first version
-- may carry no snapshot: it then stands for its asset row's given fields as they are, with the
-- status, enrichment and links every ingested asset starts with (QUEUED, none, none). Readers
-- resolve it with asset_ingest_snapshot(); versions written before this migration keep theirs.
ALTER TABLE asset_versions ALTER COLUMN snapshot DROP NOT NULL;
ALTER TABLE asset_versions ADD CONSTRAINT asset_versions_snapshot_by_reference
  CHECK (snapshot IS NOT NULL OR (change_kind = 'INGEST' AND version = 1));

-- The snapshot an ingest's version stands for: the same keys snapshotOf (domain/asset-snapshot.ts)
-- writes for a freshly ingested asset.
CREATE FUNCTION asset_ingest_snapshot(a assets) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'type', a.type, 'title', a.title, 'description', a.description, 'transcript', a.transcript,
    'fileHash', a.file_hash, 'sourceSystem', a.source_system, 'sourceId', a.source_id,
    'tags', a.given_tags, 'speakers', a.given_speakers, 'contributors', a.given_contributors,
    'operationalTags', a.operational_tags, 'technicalMetadata', a.technical_metadata,
    'links', '[]'::jsonb, 'status', 'QUEUED', 'enrichment', NULL::jsonb)
$$;

-- Before an asset's given fields change for the first time (an edit, a rollback, whichever writer),
-- its first version takes the snapshot it stood for, from the row as it was. After that the
-- version holds its own snapshot, as every later version does. Enrichment and status updates change
-- none of these columns, so the WHEN clause keeps them from ever calling the function.
CREATE FUNCTION asset_versions_keep_ingest_snapshot() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE asset_versions SET snapshot = asset_ingest_snapshot(OLD)
  WHERE tenant_id = OLD.tenant_id AND asset_id = OLD.id AND version = 1 AND snapshot IS NULL;
  RETURN NEW;
END
$$;

CREATE TRIGGER assets_keep_ingest_snapshot
  BEFORE UPDATE OF type, title, description, transcript, file_hash, source_system, source_id, given_tags,
    given_speakers, given_contributors, operational_tags, technical_metadata ON assets
  FOR EACH ROW
  WHEN ((OLD.type, OLD.title, OLD.description, OLD.transcript, OLD.file_hash, OLD.source_system,
         OLD.source_id, OLD.given_tags, OLD.given_speakers, OLD.given_contributors, OLD.operational_tags,
         OLD.technical_metadata)
        IS DISTINCT FROM
        (NEW.type, NEW.title, NEW.description, NEW.transcript, NEW.file_hash, NEW.source_system,
         NEW.source_id, NEW.given_tags, NEW.given_speakers, NEW.given_contributors, NEW.operational_tags,
         NEW.technical_metadata))
  EXECUTE FUNCTION asset_versions_keep_ingest_snapshot();

-- The indexes on assets, reviewed against the statements that read assets (bench/RESULTS.md,
-- "The canonical write"). Kept: the primary key (every lookup by id), (tenant_id, file_hash) (the
-- ingest's de-duplication), assets_listing_idx (GET /v1/assets and the export walk it in order) and
-- assets_in_flight_idx (the drift check's stuck page). Dropped, each maintained on every ingest:
--  * assets_source_idx (tenant_id, source_system, source_id): no statement filters or sorts on
--    source_id; the export's source filter compares lower(source_system), which this index cannot serve.
--  * assets_related_links_idx, GIN on related_links: its one statement (assetsRepository.linkedFrom,
--    the incoming links of GET /v1/assets/{id}/links) runs in a tenant scope, as media_tenant, where
--    row-level security keeps the planner from using it: jsonb @> is not leakproof, so the policy is
--    applied first. EXPLAIN ANALYZE at 200,000 assets: a parallel seq scan as the tenant (606 ms), the
--    GIN index only as the owner, who never runs it.
DROP INDEX IF EXISTS assets_source_idx;
DROP INDEX IF EXISTS assets_related_links_idx;
