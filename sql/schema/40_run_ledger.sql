-- One row per stage of a scheduled run: what ran for which day, when, how many rows, and how it ended.
CREATE SEQUENCE IF NOT EXISTS run_id_seq START 1;
CREATE TABLE IF NOT EXISTS run_ledger (
  run_id BIGINT NOT NULL, run_date DATE NOT NULL, stage VARCHAR NOT NULL, started_at TIMESTAMP NOT NULL,
  finished_at TIMESTAMP, rows BIGINT, status VARCHAR NOT NULL, detail VARCHAR,
  PRIMARY KEY (run_id, stage)
);
