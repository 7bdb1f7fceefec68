-- The days aggregated, with their volume (fleet-wide: one row per day).
CREATE TABLE IF NOT EXISTS agg_days_local (
  day Date, process_events UInt64, logon_events UInt64, hosts UInt64
) ENGINE = MergeTree() PARTITION BY day ORDER BY day;
-- Every shard's agg_days_local behind one table: reads fan out to the shards and merge, inserts are routed by cityHash64(day).
CREATE TABLE IF NOT EXISTS agg_days AS agg_days_local ENGINE = Distributed({cluster}, {database}, agg_days_local, cityHash64(day));
