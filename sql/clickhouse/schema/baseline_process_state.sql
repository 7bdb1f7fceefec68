-- Each shard's part of baseline_process: the hosts as a mergeable uniqExact state, which the
-- coordinator merges across shards (uniqExactMerge: exact, as DuckDB's count(DISTINCT)).
CREATE TABLE IF NOT EXISTS baseline_process_state_local (
  as_of Date, process_name String, hosts AggregateFunction(uniqExact, String), events UInt64, machine_events UInt64
) ENGINE = MergeTree() PARTITION BY as_of ORDER BY process_name;
-- Read by the coordinator across the shards; written on each shard directly.
CREATE TABLE IF NOT EXISTS baseline_process_state AS baseline_process_state_local ENGINE = Distributed({cluster}, {database}, baseline_process_state_local, rand());
