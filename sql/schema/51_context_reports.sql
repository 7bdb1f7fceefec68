-- Context reports, per run: one report per alert with something unusual around it, and its items.
CREATE SEQUENCE IF NOT EXISTS context_run_seq START 1;
CREATE TABLE IF NOT EXISTS context_runs (
  run_id BIGINT PRIMARY KEY, created_at TIMESTAMP NOT NULL, period_from DATE NOT NULL, period_to DATE NOT NULL,
  max_items INTEGER NOT NULL, alerts BIGINT NOT NULL, reports BIGINT NOT NULL, kind VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS context_reports (
  run_id BIGINT NOT NULL, report_id VARCHAR NOT NULL, alert_id VARCHAR NOT NULL, alert_name VARCHAR NOT NULL,
  alert_time TIMESTAMP NOT NULL, alert_severity VARCHAR, host VARCHAR NOT NULL, title VARCHAR NOT NULL,
  description VARCHAR NOT NULL, jobs VARCHAR[] NOT NULL, items BIGINT NOT NULL, truncated BOOLEAN NOT NULL,
  start_time TIMESTAMP NOT NULL, end_time TIMESTAMP NOT NULL, score DOUBLE NOT NULL,
  accounts VARCHAR[] NOT NULL, context_event_activity VARCHAR NOT NULL,
  PRIMARY KEY (run_id, report_id)
);
CREATE TABLE IF NOT EXISTS context_report_items (
  run_id BIGINT NOT NULL, report_id VARCHAR NOT NULL, item_no INTEGER NOT NULL, time TIMESTAMP NOT NULL,
  category VARCHAR NOT NULL, subject VARCHAR, command_line VARCHAR, image VARCHAR, repeat_times TIMESTAMP[] NOT NULL,
  repeat_count INTEGER NOT NULL, score DOUBLE NOT NULL, unusual BOOLEAN NOT NULL, reason VARCHAR NOT NULL,
  event_ids VARCHAR[] NOT NULL, line VARCHAR NOT NULL,
  more_like_this INTEGER,               -- items of the same family left out after this line ("[+N more like this]")
  host VARCHAR,                         -- the host the item's events ran on: the alert's, or another that a line ties to it
  PRIMARY KEY (run_id, report_id, item_no)
);
ALTER TABLE context_report_items ADD COLUMN IF NOT EXISTS more_like_this INTEGER;
ALTER TABLE context_report_items ADD COLUMN IF NOT EXISTS host VARCHAR;
