-- layer: staging
-- parameters: none
-- The events each label selector of an evaluation set matches (eval/otrf/labels.json explains the
-- fields). Input: eval_selectors (one row per selector; a NULL field matches anything). Output:
-- eval_selector_events(selector_id, event_id, event_table). A process selector with `descendants`
-- also takes the process chain each match started: children by parent process id on the same host,
-- from 5 s before the parent (Sysmon and 4688 twins of one process differ by up to a second or two)
-- up to the selector's end.
CREATE OR REPLACE TEMP TABLE eval_selector_events AS
WITH RECURSIVE
process_roots AS (
  SELECT s.selector_id, p.event_id, p.host, p.ts, p.process_id, s.ts_to, s.descendants
  FROM eval_selectors s
  JOIN process_events p ON s.event_table = 'process' AND list_contains(s.hosts, p.host) AND p.ts BETWEEN s.ts_from AND s.ts_to
  WHERE (s.process_names IS NULL OR list_contains(s.process_names, p.process_name))
    AND (s.parent_names IS NULL OR list_contains(s.parent_names, p.parent_name))
    AND (s.command_line_regex IS NULL OR regexp_matches(coalesce(p.command_line, ''), s.command_line_regex))
    AND (s.users IS NULL OR list_contains(s.users, lower(p.user_name)))
    AND (s.logon_ids IS NULL OR list_contains(s.logon_ids, p.logon_id))
    AND (s.process_id IS NULL OR p.process_id = s.process_id)
    AND (s.parent_process_id IS NULL OR p.parent_process_id = s.parent_process_id)
),
chains(selector_id, event_id, host, ts, process_id, ts_to, descendants) AS (
  SELECT * FROM process_roots
  UNION
  SELECT c.selector_id, p.event_id, p.host, p.ts, p.process_id, c.ts_to, c.descendants
  FROM chains c
  JOIN process_events p ON c.descendants AND p.host = c.host AND p.parent_process_id = c.process_id
   AND p.ts BETWEEN c.ts - INTERVAL 5 SECOND AND c.ts_to
),
logons AS (
  SELECT s.selector_id, g.event_id
  FROM eval_selectors s
  JOIN logon_events g ON s.event_table = 'logon' AND list_contains(s.hosts, g.host) AND g.ts BETWEEN s.ts_from AND s.ts_to
  WHERE (s.users IS NULL OR list_contains(s.users, lower(g.user_name)))
    AND (s.logon_ids IS NULL OR list_contains(s.logon_ids, g.logon_id))
    AND (s.logon_types IS NULL OR list_contains(s.logon_types, g.logon_type))
    AND (s.outcomes IS NULL OR list_contains(s.outcomes, g.outcome))
    AND (s.source_ips IS NULL OR list_contains(s.source_ips, g.source_ip))
)
SELECT DISTINCT selector_id, event_id, 'process' AS event_table FROM chains
UNION
SELECT selector_id, event_id, 'logon' FROM logons
ORDER BY selector_id, event_id;
