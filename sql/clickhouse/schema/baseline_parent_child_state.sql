-- Each shard's part of baseline_parent_child: the hosts as a mergeable uniqExact state.
CREATE TABLE IF NOT EXISTS baseline_parent_child_state_local (
  as_of Date, parent_name String, process_name String, hosts AggregateFunction(uniqExact, String), events UInt64, host_days UInt64
) ENGINE = MergeTree() PARTITION BY as_of ORDER BY (parent_name, process_name);
-- Read by the coordinator across the shards; written on each shard directly.
CREATE TABLE IF NOT EXISTS baseline_parent_child_state AS baseline_parent_child_state_local ENGINE = Distributed({cluster}, {database}, baseline_parent_child_state_local, rand());
