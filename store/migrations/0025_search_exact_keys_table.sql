-- Exact title and speaker keys get a table of their own, looked up by btree equality. Under row-level
-- security the GIN index on search_documents.exact_keys went unused: `@>` is not leakproof, so the
-- planner must check the tenant policy first and read every document of the tenant (47 ms a query at
-- 100k assets). Text equality is leakproof, so this table's primary key serves the lookup.
CREATE TABLE search_exact_keys (
  tenant_id text NOT NULL,
  key text NOT NULL,
  asset_id uuid NOT NULL,
  PRIMARY KEY (tenant_id, key, asset_id)
);
CREATE INDEX search_exact_keys_asset_idx ON search_exact_keys (tenant_id, asset_id);

INSERT INTO search_exact_keys (tenant_id, key, asset_id)
SELECT DISTINCT d.tenant_id, k, d.asset_id FROM search_documents d, unnest(d.exact_keys) AS k;

DROP INDEX search_documents_exact_idx;

-- Kept by triggers, so every path that writes documents (upserts, bulk loads, removals, respelling,
-- rebuilds) keeps the keys without knowing of them.
CREATE FUNCTION search_exact_keys_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM search_exact_keys WHERE tenant_id = OLD.tenant_id AND asset_id = OLD.asset_id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO search_exact_keys (tenant_id, key, asset_id)
    SELECT DISTINCT NEW.tenant_id, k, NEW.asset_id FROM unnest(NEW.exact_keys) AS k
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER search_exact_keys_write AFTER INSERT OR DELETE ON search_documents
  FOR EACH ROW EXECUTE FUNCTION search_exact_keys_sync();
CREATE TRIGGER search_exact_keys_change AFTER UPDATE OF exact_keys ON search_documents
  FOR EACH ROW WHEN (OLD.exact_keys IS DISTINCT FROM NEW.exact_keys) EXECUTE FUNCTION search_exact_keys_sync();
