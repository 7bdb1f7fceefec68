-- Parent -> child pairs across the fleet as of each day.
CREATE TABLE IF NOT EXISTS baseline_parent_child_local (
  as_of Date, parent_name String, process_name String, hosts UInt64, events UInt64, host_days UInt64
) ENGINE = MergeTree() PARTITION BY as_of ORDER BY (parent_name, process_name);
-- Every shard's baseline_parent_child_local behind one table: reads fan out to the shards and merge, inserts are routed by cityHash64(parent_name, process_name).
CREATE TABLE IF NOT EXISTS baseline_parent_child AS baseline_parent_child_local ENGINE = Distributed({cluster}, {database}, baseline_parent_child_local, cityHash64(parent_name, process_name));
