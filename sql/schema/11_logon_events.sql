-- One row per logon attempt or RDP session reconnect.
CREATE TABLE IF NOT EXISTS logon_events (
  event_id     VARCHAR NOT NULL,           -- unique: the load dedupes by it
  ts           TIMESTAMP NOT NULL,
  host         VARCHAR NOT NULL,
  host_fqdn    VARCHAR,
  user_name    VARCHAR,
  user_domain  VARCHAR,
  logon_id     VARCHAR,
  logon_type   INTEGER,                    -- 10 = RDP (RemoteInteractive)
  source_ip    VARCHAR,
  source_host  VARCHAR,
  outcome      VARCHAR NOT NULL,           -- success | failure | reconnect
  source       VARCHAR NOT NULL,
  load_id      BIGINT,
  source_file  VARCHAR,
  source_line  BIGINT
);
