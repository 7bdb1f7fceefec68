-- Template familiarity per host as of each day (made on each host's shard).
CREATE TABLE IF NOT EXISTS baseline_host_template_local (
  as_of Date, host String, template String, days UInt64, events UInt64, first_seen_us Int64
) ENGINE = MergeTree() PARTITION BY as_of ORDER BY (host, template);
-- Every shard's baseline_host_template_local behind one table: reads fan out to the shards and merge, inserts are routed by cityHash64(host).
CREATE TABLE IF NOT EXISTS baseline_host_template AS baseline_host_template_local ENGINE = Distributed({cluster}, {database}, baseline_host_template_local, cityHash64(host));
