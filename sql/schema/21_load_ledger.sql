-- One row per file per load: what was read and where each row went (read = the sum of the rest).
CREATE SEQUENCE IF NOT EXISTS load_id_seq START 1;
CREATE TABLE IF NOT EXISTS load_ledger (
  load_id        BIGINT NOT NULL,
  file           VARCHAR NOT NULL,
  file_sha256    VARCHAR,
  format         VARCHAR NOT NULL,
  started_at     TIMESTAMP NOT NULL,
  finished_at    TIMESTAMP NOT NULL,
  read           BIGINT NOT NULL,
  loaded_process BIGINT NOT NULL,
  loaded_logon   BIGINT NOT NULL,
  loaded_alerts  BIGINT NOT NULL,
  loaded_labels  BIGINT NOT NULL,
  skipped        BIGINT NOT NULL,
  rejected       BIGINT NOT NULL,
  duplicates     BIGINT NOT NULL,
  truncated      BIGINT NOT NULL,
  PRIMARY KEY (load_id, file)
);
