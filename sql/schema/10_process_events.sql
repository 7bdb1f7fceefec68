-- One row per process creation, whatever the source (Sysmon 1, Security 4688, Sentinel, ECS, Defender).
CREATE TABLE IF NOT EXISTS process_events (
  event_id          VARCHAR PRIMARY KEY,  -- from the source when it has one, else derived from the record
  ts                TIMESTAMP NOT NULL,   -- UTC
  host              VARCHAR NOT NULL,     -- lowercase short name: the join key
  host_fqdn         VARCHAR,              -- as the source wrote it, lowercase
  user_name         VARCHAR,
  user_domain       VARCHAR,
  logon_id          VARCHAR,              -- lowercase hex without leading zeros, '0x3e7'
  process_id        BIGINT,
  image             VARCHAR,
  process_name      VARCHAR,              -- lowercase file name of image
  command_line      VARCHAR,
  parent_process_id BIGINT,
  parent_image      VARCHAR,
  parent_name       VARCHAR,
  source            VARCHAR NOT NULL,     -- the source mapping that produced the row, e.g. 'sysmon-1'
  load_id           BIGINT,
  source_file       VARCHAR,
  source_line       BIGINT
);
