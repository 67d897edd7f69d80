-- Entity filter values (tags, topics, speakers and people named, brands) get a btree table of their
-- own, as the exact keys did in 0025. Under row-level security the filter on search_documents'
-- arrays cannot use an index (`lower()` and `@>` are not leakproof), so browsing a rare tag read the
-- tenant in date order until it found a page: 110-280 ms warm and 1.4 s cold at a million assets.
-- Text equality is leakproof, so this table's primary key finds a value's assets directly.
CREATE TABLE search_filter_values (
  tenant_id text NOT NULL,
  dim text NOT NULL CHECK (dim IN ('tags', 'topics', 'speakers', 'brands')),
  value text NOT NULL,
  asset_id uuid NOT NULL,
  PRIMARY KEY (tenant_id, dim, value, asset_id)
);
CREATE INDEX search_filter_values_asset_idx ON search_filter_values (tenant_id, asset_id);

-- Values are lower-cased: filters match without regard to case.
INSERT INTO search_filter_values (tenant_id, dim, value, asset_id)
SELECT DISTINCT d.tenant_id, x.dim, lower(x.v), d.asset_id
FROM search_documents d
CROSS JOIN LATERAL (
  SELECT 'tags' AS dim, v FROM unnest(d.tags) v
  UNION ALL SELECT 'topics', v FROM unnest(d.topics) v
  UNION ALL SELECT 'speakers', v FROM unnest(d.speakers || d.people) v
  UNION ALL SELECT 'brands', v FROM unnest(d.brands) v
) x;

-- Kept by triggers, so every path that writes documents (upserts, bulk loads, removals, respelling,
-- rebuilds) keeps the values without knowing of them.
CREATE FUNCTION search_filter_values_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM search_filter_values WHERE tenant_id = OLD.tenant_id AND asset_id = OLD.asset_id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    -- NEW's fields, not its row type: a rebuild's copy of the table has a row type of its own.
    INSERT INTO search_filter_values (tenant_id, dim, value, asset_id)
    SELECT DISTINCT NEW.tenant_id, x.dim, lower(x.v), NEW.asset_id FROM (
      SELECT 'tags' AS dim, v FROM unnest(NEW.tags) v
      UNION ALL SELECT 'topics', v FROM unnest(NEW.topics) v
      UNION ALL SELECT 'speakers', v FROM unnest(NEW.speakers || NEW.people) v
      UNION ALL SELECT 'brands', v FROM unnest(NEW.brands) v
    ) x;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER search_filter_values_write AFTER INSERT OR DELETE ON search_documents
  FOR EACH ROW EXECUTE FUNCTION search_filter_values_sync();
CREATE TRIGGER search_filter_values_change AFTER UPDATE OF tags, topics, speakers, people, brands
  ON search_documents FOR EACH ROW
  WHEN (OLD.tags IS DISTINCT FROM NEW.tags OR OLD.topics IS DISTINCT FROM NEW.topics
        OR OLD.speakers IS DISTINCT FROM NEW.speakers OR OLD.people IS DISTINCT FROM NEW.people
        OR OLD.brands IS DISTINCT FROM NEW.brands)
  EXECUTE FUNCTION search_filter_values_sync();

-- Statistics now: until the table is analyzed the planner takes it for empty, and a join that
-- probes it per row becomes a scan of it per row. (0025 left its table unanalyzed too.)
ANALYZE search_filter_values;
ANALYZE search_exact_keys;
