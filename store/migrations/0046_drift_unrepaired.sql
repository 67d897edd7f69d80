-- Drift that a repairing check could not put right (issue 24, alerts): the assets a projection refused
-- to take again. The metrics endpoint reports it from the latest run; an alert fires while it is above 0.
ALTER TABLE drift_runs ADD COLUMN unrepaired integer NOT NULL DEFAULT 0;
