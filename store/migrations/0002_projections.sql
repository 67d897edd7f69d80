-- Projections of the canonical assets. Rebuildable from the assets table at any time;
-- each records the asset version it reflects, so an older version never overwrites a newer one.

CREATE TABLE graph_nodes (
  tenant_id        text NOT NULL REFERENCES tenants (id),
  id               bigint GENERATED ALWAYS AS IDENTITY,
  type             text NOT NULL CHECK (type IN ('KEYWORD', 'TOPIC', 'SPEAKER', 'BRAND', 'CONTRIBUTOR', 'TAG')),
  name             text NOT NULL,
  normalized_name  text NOT NULL,
  -- How many assets link to this node: the rarity signal for related content.
  asset_count      integer NOT NULL DEFAULT 0 CHECK (asset_count >= 0),
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, type, normalized_name)
);

CREATE TABLE asset_graph_nodes (
  tenant_id  text NOT NULL,
  asset_id   uuid NOT NULL,
  node_id    bigint NOT NULL,
  weight     real NOT NULL CHECK (weight > 0),
  moments    jsonb,
  PRIMARY KEY (tenant_id, asset_id, node_id),
  FOREIGN KEY (tenant_id, node_id) REFERENCES graph_nodes (tenant_id, id)
);
-- Walks from an entity to its strongest assets, with a cap per entity (supernodes).
CREATE INDEX asset_graph_nodes_node_idx ON asset_graph_nodes (tenant_id, node_id, weight DESC, asset_id);

CREATE TABLE graph_relationships (
  tenant_id        text NOT NULL REFERENCES tenants (id),
  id               bigint GENERATED ALWAYS AS IDENTITY,
  source_asset_id  uuid NOT NULL,
  target_asset_id  uuid NOT NULL,
  type             text NOT NULL CHECK (type IN ('shared_keyword', 'shared_topic', 'same_contributor', 'temporal', 'related_to')),
  weight           real NOT NULL DEFAULT 1,
  reason           jsonb NOT NULL DEFAULT '{}',
  created_by       text NOT NULL DEFAULT 'system',
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, source_asset_id, target_asset_id, type),
  CHECK (source_asset_id <> target_asset_id)
);
CREATE INDEX graph_relationships_target_idx ON graph_relationships (tenant_id, target_asset_id);

-- The asset version each projection holds.
CREATE TABLE graph_asset_projections (
  tenant_id     text NOT NULL,
  asset_id      uuid NOT NULL,
  version       integer NOT NULL,
  projected_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, asset_id)
);

CREATE TABLE search_documents (
  tenant_id      text NOT NULL REFERENCES tenants (id),
  asset_id       uuid NOT NULL,
  version        integer NOT NULL,
  type           text NOT NULL,
  source_system  text NOT NULL,
  status         text NOT NULL,
  title          text NOT NULL,
  description    text NOT NULL,
  transcript     text NOT NULL,
  tags           text[] NOT NULL,
  speakers       text[] NOT NULL,
  topics         text[] NOT NULL,
  keywords       text[] NOT NULL,
  created_at     timestamptz NOT NULL,
  -- Field weights: A title and speakers, B tags and topics, C description and keywords, D transcript.
  document       tsvector NOT NULL,
  projected_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, asset_id)
);
CREATE INDEX search_documents_fts_idx ON search_documents USING gin (document);
