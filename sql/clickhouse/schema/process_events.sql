-- Process events, sharded by host. ts_us: microseconds since 1970 UTC (18.16 has no DateTime64; DateTime is whole seconds). ReplacingMergeTree: a load merges the days it touched (OPTIMIZE ... FINAL), so a reloaded event is kept once.
CREATE TABLE IF NOT EXISTS process_events_local (
  event_id String, day Date, ts_us Int64, host String, host_fqdn Nullable(String), user_name Nullable(String),
  user_domain Nullable(String), logon_id Nullable(String), process_id Nullable(Int64), image Nullable(String),
  process_name Nullable(String), command_line Nullable(String), parent_process_id Nullable(Int64),
  parent_image Nullable(String), parent_name Nullable(String), source String
) ENGINE = ReplacingMergeTree() PARTITION BY day ORDER BY (host, ts_us, event_id);
-- Every shard's process_events_local behind one table: reads fan out to the shards and merge, inserts are routed by cityHash64(host).
CREATE TABLE IF NOT EXISTS process_events AS process_events_local ENGINE = Distributed({cluster}, {database}, process_events_local, cityHash64(host));
