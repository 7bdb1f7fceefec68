-- layer: intermediate
-- parameters: ac_pass INTEGER, ac_remote_programs VARCHAR[], ac_remote_pattern VARCHAR
-- The commands of each alert's process tree or logon session (context_window_features.sql: rank 1
-- or 2) that ask another host to start a process (models/remote-starts.ts, remote_start_kinds): one
-- row per host named (ac_named_hosts), with the kind's launcher, the service a `sc start` names
-- ('' for none) and which starts are its (started: NULL for any). context_remote_started.sql finds what they started there.
CREATE OR REPLACE TEMP TABLE context_remote_asks AS
-- the runs of the kinds' programs (bound: a filter of the scan), then those whose line asks another
-- host (ac_remote_pattern, any kind's, compiled once; then the kind's own)
WITH program_runs AS MATERIALIZED (
  SELECT w.alert_id, w.event_id AS asker_event_id, w.ts, w.host, w.process_name AS asker_name, w.relation_rank, lower(d.command_line) AS line
  FROM context_window_features w
  JOIN context_day_events d ON d.pass = getvariable('ac_pass') AND d.event_id = w.event_id
  WHERE w.relation_rank <= 2 AND list_contains(getvariable('ac_remote_programs'), w.process_name)
),
asking AS MATERIALIZED (SELECT * FROM program_runs WHERE regexp_matches(line, getvariable('ac_remote_pattern')))
SELECT a.* EXCLUDE (line), k.launcher, k.launcher_starts, k.started, unnest(ac_named_hosts(a.line, k.pattern)) AS target,
       regexp_extract(a.line, k.pattern, 2) AS service_name
FROM asking a JOIN remote_start_kinds k ON k.program = a.asker_name
WHERE regexp_matches(a.line, k.pattern);
