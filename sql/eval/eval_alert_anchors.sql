-- layer: staging
-- parameters: none
-- The event each alert of an evaluation set fired on, on its host in the 10 minutes up to its time:
-- a process alert (process_id given) -> the latest process event with that id (and its logon id and
-- command line when given); any other alert -> the latest logon event with its logon id or user.
-- Input: eval_alert_input. Output: eval_alert_anchors(alert_id, event_id, command_line).
CREATE OR REPLACE TEMP TABLE eval_alert_anchors AS
SELECT a.alert_id, arg_max(p.event_id, (p.ts, p.event_id)) AS event_id, arg_max(p.command_line, (p.ts, p.event_id)) AS command_line
FROM eval_alert_input a
JOIN process_events p ON p.host = a.host AND p.process_id = a.process_id
 AND p.ts BETWEEN a.ts - INTERVAL 10 MINUTE AND a.ts
 AND (a.logon_id IS NULL OR p.logon_id = a.logon_id)
 AND (a.command_line IS NULL OR p.command_line = a.command_line)
WHERE a.process_id IS NOT NULL
GROUP BY a.alert_id
UNION ALL
SELECT a.alert_id, arg_max(g.event_id, (g.ts, g.event_id)), NULL
FROM eval_alert_input a
JOIN logon_events g ON g.host = a.host AND g.ts BETWEEN a.ts - INTERVAL 10 MINUTE AND a.ts
 AND (g.logon_id = a.logon_id OR lower(g.user_name) = lower(a.user_name))
WHERE a.process_id IS NULL
GROUP BY a.alert_id;
