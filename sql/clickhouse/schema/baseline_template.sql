-- Template prevalence across the fleet as of each day (fleet-wide, sharded by template).
CREATE TABLE IF NOT EXISTS baseline_template_local (
  as_of Date, template String, hosts UInt64, host_days UInt64, events UInt64, first_seen_us Int64
) ENGINE = MergeTree() PARTITION BY as_of ORDER BY template;
-- Every shard's baseline_template_local behind one table: reads fan out to the shards and merge, inserts are routed by cityHash64(template).
CREATE TABLE IF NOT EXISTS baseline_template AS baseline_template_local ENGINE = Distributed({cluster}, {database}, baseline_template_local, cityHash64(template));
