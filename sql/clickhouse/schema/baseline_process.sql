-- Process names across the fleet as of each day.
CREATE TABLE IF NOT EXISTS baseline_process_local (
  as_of Date, process_name String, hosts UInt64, events UInt64, machine_events UInt64
) ENGINE = MergeTree() PARTITION BY as_of ORDER BY process_name;
-- Every shard's baseline_process_local behind one table: reads fan out to the shards and merge, inserts are routed by cityHash64(process_name).
CREATE TABLE IF NOT EXISTS baseline_process AS baseline_process_local ENGINE = Distributed({cluster}, {database}, baseline_process_local, cityHash64(process_name));
