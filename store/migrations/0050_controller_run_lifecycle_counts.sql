-- A controller's run counts the assets of gone items it archived or deleted (`whenGone`, issue 25).
ALTER TABLE controller_runs
  ADD COLUMN archived_count integer NOT NULL DEFAULT 0,
  ADD COLUMN deleted_count integer NOT NULL DEFAULT 0;
