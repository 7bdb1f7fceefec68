-- layer: intermediate
-- parameters: ac_pass INTEGER
-- The children that may be part of their parent's item rather than items of their own: a child that
-- starts within a second of its parent and starts nothing itself in the window (never the alert's
-- own event), with what context_kept.sql judges by the fleet's prevalence: it folds such a child
-- into its parent's item when its parent starts it on at least context.fold_child_min_share of the
-- hosts where that parent runs (baseline_parent_child against baseline_process) and its command
-- template runs on at least that share of the fleet's hosts (and on 2 or more), and the parent is
-- a candidate of that alert. The console host Windows attaches to every console program
-- (`conhost.exe 0xffffffff -ForceV1`) is the example. Judged by the fleet's prevalence of the pair
-- and the template and by the process tree, not by a list of names: a rare child, one its parent
-- seldom starts (an intruder's rare shell starting a discovery tool every host runs), one that
-- starts others or one started later is its own item. Whatever the prevalence, such a child is
-- not what an alert's process went on to do (context_kept.sql: the report of an alert whose own
-- event is the unusual one). Independent of the threshold points. Made with the pass's windows
-- (context_window_features.sql, context_event_features.sql, context_day_events.sql), read after
-- they are dropped.
CREATE OR REPLACE TEMP TABLE context_attachments AS
WITH linked AS (
  SELECT w.alert_id, w.event_id, w.ts, w.process_name, w.parent_name, w.alert_event, w.template_hosts, w.fleet_hosts, w.pair_hosts,
         f.parent_event_id
  FROM context_window_features w JOIN context_event_features f USING (event_id)
),
-- the events of each alert's window that started another event of that window
parents AS (SELECT DISTINCT alert_id, parent_event_id AS event_id FROM linked WHERE parent_event_id IS NOT NULL)
SELECT c.alert_id, c.event_id, c.parent_event_id, c.ts, epoch_ms(c.ts) - epoch_ms(p.ts) AS after_ms,
       d.command_line, c.process_name, c.parent_name, c.template_hosts, c.fleet_hosts, c.pair_hosts,
       -- where the parent runs: as a process, or as the parent of one (a parent started before the
       -- telemetry began is seen only through its children)
       greatest(coalesce(bp.hosts, 0), c.pair_hosts) AS parent_hosts
FROM linked c
JOIN linked p ON p.alert_id = c.alert_id AND p.event_id = c.parent_event_id
LEFT JOIN baseline_process bp ON bp.as_of = c.ts::DATE AND bp.process_name = c.parent_name
JOIN context_day_events d ON d.pass = getvariable('ac_pass') AND d.event_id = c.event_id
LEFT JOIN parents k ON k.alert_id = c.alert_id AND k.event_id = c.event_id
WHERE k.event_id IS NULL
  AND NOT c.alert_event
  AND c.ts BETWEEN p.ts AND p.ts + INTERVAL 1 SECOND;
