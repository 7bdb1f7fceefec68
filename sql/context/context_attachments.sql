-- layer: intermediate
-- parameters: none
-- The processes that are part of their parent's item rather than items of their own, per threshold
-- point: a child that starts within a second of its parent, starts nothing itself in the window,
-- and whose command template runs on nearly every host of the fleet (at least
-- context.fold_child_min_share of them, and at least 2): the console host that Windows attaches
-- to every console program (`conhost.exe 0xffffffff -ForceV1`) is the example. Judged by the fleet's
-- prevalence of the template and by the process tree, not by a list of names: a rare child, one
-- that goes on to start others, or one started later is its own item. The alert's own event is
-- never folded. context_kept.sql folds such a child into its parent's item when the parent is a
-- candidate of that alert (its event id joins the item's, its name the reason); otherwise nothing
-- changes. Read from the prepared windows (context_window_features.sql, context_event_features.sql)
-- before they are dropped.
CREATE OR REPLACE TEMP TABLE context_attachments AS
WITH linked AS (
  SELECT w.alert_id, w.event_id, w.ts, w.process_name, w.alert_event, w.template_hosts, w.fleet_hosts, f.parent_event_id
  FROM context_window_features w JOIN context_event_features f USING (event_id)
),
-- the events of each alert's window that started another event of that window
parents AS (SELECT DISTINCT alert_id, parent_event_id AS event_id FROM linked WHERE parent_event_id IS NOT NULL)
SELECT g.point_id, c.alert_id, c.event_id, c.parent_event_id, c.ts, c.process_name
FROM linked c
JOIN linked p ON p.alert_id = c.alert_id AND p.event_id = c.parent_event_id
LEFT JOIN parents k ON k.alert_id = c.alert_id AND k.event_id = c.event_id
CROSS JOIN threshold_points g
WHERE k.event_id IS NULL
  AND NOT c.alert_event
  AND c.ts BETWEEN p.ts AND p.ts + INTERVAL 1 SECOND
  AND c.template_hosts >= greatest(2, g.fold_child_min_share * c.fleet_hosts);
