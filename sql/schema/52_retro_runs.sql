-- Retrospective runs: context generation re-run over a past period with point-in-time baselines,
-- stored with what it ran with (config and its hash, code version) and its metrics.
CREATE TABLE IF NOT EXISTS retro_runs (
  run_id BIGINT PRIMARY KEY,            -- the context run (context_runs, context_reports) it made
  created_at TIMESTAMP NOT NULL, period_from DATE NOT NULL, period_to DATE NOT NULL,
  config VARCHAR NOT NULL,              -- the resolved thresholds and windows, JSON
  config_hash VARCHAR NOT NULL,         -- sha256 of that JSON, first 16 hex digits
  config_source VARCHAR,                -- the --config file, NULL for the defaults
  code_version VARCHAR NOT NULL,
  baselines VARCHAR NOT NULL,           -- 'stored' (nightly's snapshots) or 'rebuilt' (for another window)
  alerts BIGINT NOT NULL, reports BIGINT NOT NULL, labeled BOOLEAN NOT NULL
);
CREATE TABLE IF NOT EXISTS retro_metrics (
  run_id BIGINT NOT NULL, group_by VARCHAR NOT NULL, group_value VARCHAR NOT NULL, metric VARCHAR NOT NULL,
  k BIGINT NOT NULL, n BIGINT, value DOUBLE, low DOUBLE, high DOUBLE,
  PRIMARY KEY (run_id, group_by, group_value, metric)
);
