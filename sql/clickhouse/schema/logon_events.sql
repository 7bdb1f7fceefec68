-- Logon events, sharded by host; as process_events.
CREATE TABLE IF NOT EXISTS logon_events_local (
  event_id String, day Date, ts_us Int64, host String, host_fqdn Nullable(String), user_name Nullable(String),
  user_domain Nullable(String), logon_id Nullable(String), logon_type Nullable(Int32), source_ip Nullable(String),
  source_host Nullable(String), outcome String, source String
) ENGINE = ReplacingMergeTree() PARTITION BY day ORDER BY (host, ts_us, event_id);
-- Every shard's logon_events_local behind one table: reads fan out to the shards and merge, inserts are routed by cityHash64(host).
CREATE TABLE IF NOT EXISTS logon_events AS logon_events_local ENGINE = Distributed({cluster}, {database}, logon_events_local, cityHash64(host));
