-- Who made the asset (producer, director, photographer, editor, channel…), as given at ingest, next
-- to the given tags and speakers. Version snapshots are jsonb and carry it without a change here.
ALTER TABLE assets ADD COLUMN given_contributors jsonb NOT NULL DEFAULT '[]';
