-- One row per process creation, whatever the source (Sysmon 1, Security 4688, Sentinel, ECS, Defender).
-- event_id is unique by construction (the load marks repeats as duplicates, test/load-*.test.ts); no
-- key index: at 17 M events it held a gigabyte and doubled the insert time.
CREATE TABLE IF NOT EXISTS process_events (
  event_id          VARCHAR NOT NULL,     -- unique (the load dedupes by it); from the source when it has one, else derived
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
