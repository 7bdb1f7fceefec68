-- Process names per host and day, and how many ran in the machine's own sessions.
CREATE TABLE IF NOT EXISTS agg_process_daily_local (
  day Date, host String, process_name String, events UInt64, machine_events UInt64
) ENGINE = MergeTree() PARTITION BY day ORDER BY (host, process_name);
-- Every shard's agg_process_daily_local behind one table: reads fan out to the shards and merge, inserts are routed by cityHash64(host).
CREATE TABLE IF NOT EXISTS agg_process_daily AS agg_process_daily_local ENGINE = Distributed({cluster}, {database}, agg_process_daily_local, cityHash64(host));
