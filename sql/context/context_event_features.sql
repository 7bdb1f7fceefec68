-- layer: intermediate
-- parameters: ac_pass INTEGER
-- Every process event of the alerts' windows once, however many alerts' windows hold it (alerts on
-- one host share their windows' hours): this pass's rows of context_day_events.sql, which are the
-- windows of this pass's alerts (a host's alerts are in one pass). With what context judges it by:
-- its rarity (score/process_rarity.sql, read with the day's events), its family's argument shape,
-- how many times a day its parent -> child pair runs on the hosts that run it, and its parent on
-- the host.
--
-- The parent: the latest process of the windows with the parent's id started at or before the event
-- (context_candidates.sql keeps it for an alert when it is in that alert's window: the host's latest
-- such process is the window's latest whenever the window holds one, since it started at or before
-- the child, which is in the window, and after every other candidate).
--
-- os_core: the event is one of the operating system's own processes (os_process_roles' 'core' rows,
-- models/os-core.ts: its image path, a documented parent's image path and its argument shape, the
-- arguments being the recorded command line after its program), which context never lists;
-- prompt: how a reason names the prompt the event is, one Windows shows at a launch (User Account
-- Control's, SmartScreen's: 'prompt' rows, matched the same way; '' among a row's parents accepts an
-- unrecorded parent).
CREATE OR REPLACE TEMP TABLE context_event_features AS
WITH span_events AS MATERIALIZED (
  SELECT event_id, ts, host, process_id, parent_process_id, process_name, parent_name, template, template_hosts, pair_hosts,
         fleet_hosts, host_days, history_days, host_history_days, host_is_new
  FROM context_day_events WHERE pass = getvariable('ac_pass')
),
host_parents AS (
  SELECT e.event_id, q.event_id AS parent_event_id
  FROM span_events e
  ASOF JOIN span_events q ON q.host = e.host AND q.process_id = e.parent_process_id AND q.ts <= e.ts
  WHERE q.event_id <> e.event_id
),
-- the operating system's own processes and the launch prompts (the texts read from the staged rows, not kept in span_events)
os_roles AS (
  SELECT d.event_id, bool_or(c.role = 'core') AS os_core, max(c.prompt) AS prompt, bool_or(c.asks) AS prompt_asks,
         bool_or(c.shell_launch) AS prompt_shell_launch
  FROM context_day_events d
  JOIN os_process_roles c ON c.image = lower(d.image) AND list_contains(c.parents, lower(coalesce(d.parent_image, '')))
  WHERE d.pass = getvariable('ac_pass')
    AND regexp_full_match(trim(regexp_replace(trim(d.command_line), '^("[^"]*"|\S+)', '')), c.args, 'i')
  GROUP BY d.event_id
),
-- the starts whose parent is one of the operating system's own programs (its image: the shell's
-- double-click is explorer.exe starting the program), for the prompts tied to the shell's launches
os_children AS (
  SELECT d.event_id FROM context_day_events d
  WHERE d.pass = getvariable('ac_pass') AND lower(d.parent_image) IN (SELECT image FROM os_process_roles WHERE role = 'core')
),
-- the family's argument shape (four regular expressions) once per template and process: 1,202 of
-- them for 320,379 events on the bench's 1,000-host day (0.03 s against 0.71 s per event)
shapes AS (
  SELECT template, process_name, ac_family_shape(template, process_name) AS shape
  FROM (SELECT DISTINCT template, process_name FROM span_events WHERE template IS NOT NULL)
)
SELECT s.event_id, s.ts, s.host, s.process_name, hp.parent_event_id,
       s.template, s.template_hosts, s.pair_hosts, s.fleet_hosts, s.host_days, s.history_days,
       coalesce(s.host_history_days, CASE WHEN s.host_is_new THEN 0 ELSE s.history_days END) AS host_history_days,
       sh.shape,
       coalesce(bp.events / nullif(bp.host_days, 0), 0) AS pair_daily_events,
       coalesce(r.os_core, false) AS os_core, r.prompt, coalesce(r.prompt_asks, false) AS prompt_asks,
       coalesce(r.prompt_shell_launch, false) AS prompt_shell_launch, oc.event_id IS NOT NULL AS started_by_os
FROM span_events s
LEFT JOIN host_parents hp USING (event_id)
LEFT JOIN os_roles r USING (event_id)
LEFT JOIN os_children oc USING (event_id)
LEFT JOIN shapes sh ON sh.template = s.template AND sh.process_name = s.process_name
LEFT JOIN baseline_parent_child bp ON bp.as_of = s.ts::DATE AND bp.parent_name = s.parent_name AND bp.process_name = s.process_name;
