-- Detection alerts: the entities a detection knew (host always; the rest when known).
CREATE TABLE IF NOT EXISTS alerts (
  alert_id     VARCHAR PRIMARY KEY,
  ts           TIMESTAMP NOT NULL,
  alert_name   VARCHAR NOT NULL,
  severity     VARCHAR,
  host         VARCHAR NOT NULL,
  host_fqdn    VARCHAR,
  user_name    VARCHAR,
  logon_id     VARCHAR,
  process_id   BIGINT,
  command_line VARCHAR,
  source       VARCHAR NOT NULL,
  load_id      BIGINT,
  source_file  VARCHAR,
  source_line  BIGINT
);
