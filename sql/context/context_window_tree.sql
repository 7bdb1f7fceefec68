-- layer: intermediate
-- parameters: ac_well_known_logons VARCHAR[], ac_pass INTEGER
-- Each alert's process tree among its window's events (context_window_keys.sql), with each member's
-- relation to the alert, the nearest: the alert process, its ancestors (the parent and grandparent)
-- and descendants; for an alert on a network logon that names no process, what the host started
-- right after the logon (or the next logons of its account from its client: context_remote_roots.sql)
-- and its descendants; the COM activations of the tree's processes; a prompt Windows showed before
-- one of them started;
-- the service a command of the tree (or of the alert's session) started, and the command that
-- started the alert's service. And, at the session's rank (relation_rank 2), that command's logon
-- session, and another run of the alert process's (parent's, grandparent's) line by its account.
CREATE OR REPLACE TEMP TABLE context_window_tree AS
WITH RECURSIVE window_events AS NOT MATERIALIZED (SELECT * FROM context_window_keys),
parent_links AS NOT MATERIALIZED (SELECT * FROM context_parent_links),
system_starts AS NOT MATERIALIZED (SELECT * FROM context_system_starts),
alert_scope AS NOT MATERIALIZED (SELECT * FROM context_alert_scope),
-- The COM activations and service starts of the windows (context_activation_links.sql): the
-- activator of a process the system started.
activation_links AS NOT MATERIALIZED (SELECT * FROM context_activation_links),
service_links AS NOT MATERIALIZED (SELECT * FROM context_activation_links WHERE kind IN ('service', 'exec', 'task')),
-- Remote execution: an alert on a network logon that names no process, whose session ran nothing:
-- what the host started right after it, or after the next logons of its account from its client,
-- each such chain's first process (context_remote_roots.sql), with the logon it followed.
remote_roots AS NOT MATERIALIZED (SELECT * FROM context_remote_roots),
-- An alert's process that started before its windows (a long-running implant) or was not recorded:
-- its children in the windows by its process id, up to another process taking that id (ids are reused).
pid_children AS (
  SELECT e.alert_id, e.event_id
  FROM window_events e JOIN alert_scope s USING (alert_id)
  WHERE s.process_event_id IS NULL AND e.parent_process_id = s.alert_process_id
    AND NOT EXISTS (SELECT 1 FROM window_events q WHERE q.alert_id = e.alert_id AND q.process_id = s.alert_process_id AND q.ts <= e.ts)
),
-- The alert process's descendants (its children by id when not in the windows), or the remote roots'.
-- (via: the activator, for an activation's wording; root_id: the remote root a member descends
-- from; act_id, act_via, act_depth: the nearest activated process above a member, its activator and
-- depth: below an activation a member is that process's child or descendant, not the alert's)
descendants(alert_id, event_id, depth, activated, via, root_id, act_id, act_via, act_depth) AS (
  SELECT alert_id, process_event_id, 0, false, NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR, NULL::INTEGER FROM alert_scope WHERE process_event_id IS NOT NULL
  UNION
  SELECT alert_id, event_id, 1, false, NULL, NULL, NULL, NULL, NULL FROM pid_children
  UNION
  SELECT alert_id, event_id, 0, false, NULL, event_id, NULL, NULL, NULL FROM remote_roots
  UNION
  SELECT l.alert_id, l.event_id, d.depth + 1, l.activated, CASE WHEN l.activated THEN d.event_id END, d.root_id,
         CASE WHEN d.activated THEN d.event_id ELSE d.act_id END, CASE WHEN d.activated THEN d.via ELSE d.act_via END,
         CASE WHEN d.activated THEN d.depth ELSE d.act_depth END
  FROM descendants d
  JOIN (SELECT alert_id, event_id, parent_event_id, false AS activated FROM parent_links
        UNION ALL SELECT alert_id, event_id, activator_event_id, true FROM activation_links) l
    ON l.alert_id = d.alert_id AND l.parent_event_id = d.event_id
  WHERE d.depth < 16
),
-- (a service's process: also the command that had it started, service_links, and that command's
-- parent; only for the alert process itself: a service further up is not the alert's command's,
-- but the service of a tool that runs its command through one (kind 'exec': PsExec's PSEXESVC.exe,
-- the alert process's parent) is. child_id: the member it was reached from.)
-- asker_id: the command above a member that had the system start the process below it (the member
-- is that command's parent, not the alert process's ancestor)
ancestors(alert_id, event_id, depth, activated, child_id, asker_id) AS (
  SELECT alert_id, process_event_id, 0, false, NULL::VARCHAR, NULL::VARCHAR FROM alert_scope WHERE process_event_id IS NOT NULL
  UNION
  SELECT l.alert_id, l.parent_event_id, a.depth + 1, l.activated, a.event_id, CASE WHEN a.activated THEN a.event_id ELSE a.asker_id END
  FROM ancestors a
  JOIN (SELECT alert_id, event_id, parent_event_id, false AS activated, NULL AS kind FROM parent_links
        UNION ALL SELECT alert_id, event_id, activator_event_id, true, kind FROM service_links) l
    ON l.alert_id = a.alert_id AND l.event_id = a.event_id
  -- the parent and the grandparent: further up are the session's or the machine's start-up
  WHERE a.depth < 2 AND (NOT l.activated OR a.depth = 0 OR l.kind = 'exec')
),
-- what an activated ancestor had the system start: the alert process, or its parent (asked: the
-- words; a scheduled task's registration had it started later, at the task's trigger)
service_asks AS (
  SELECT *, format(CASE kind WHEN 'task' THEN 'registered the task that had the system ({}) start {}' ELSE 'had the system ({}) start {}' END, parent_name, started) AS asked
  FROM (SELECT a.alert_id, a.event_id, a.depth, sl.kind, sl.parent_name, sl.after_seconds, sl.activator_name,
               CASE a.depth WHEN 1 THEN 'the alert process' ELSE format('{}, the parent of the alert process', c.process_name) END AS started
        FROM ancestors a
        JOIN service_links sl ON sl.alert_id = a.alert_id AND sl.activator_event_id = a.event_id AND sl.event_id = a.child_id
        JOIN window_events c ON c.alert_id = a.alert_id AND c.event_id = a.child_id
        WHERE a.activated)
),
-- the activated processes' names, for the wording of what they started (joined to the few links,
-- not the whole window to the tree)
activated_names AS MATERIALIZED (
  SELECT DISTINCT al.alert_id, al.event_id, w.process_name FROM activation_links al JOIN window_events w USING (alert_id, event_id)
),
-- the logon sessions of those commands (a person's, not the alert's), few: read first, so that the
-- window's events are joined to them and not to each other (4.8 M pairs on the bench's day)
asker_sessions AS MATERIALIZED (
  SELECT DISTINCT sl.alert_id, q.logon_id, sl.activator_name, sl.asked
  FROM service_asks sl JOIN alert_scope s USING (alert_id)
  JOIN window_events q ON q.alert_id = sl.alert_id AND q.event_id = sl.event_id
  WHERE NOT coalesce(list_contains(getvariable('ac_well_known_logons'), q.logon_id), true)
    AND q.logon_id IS DISTINCT FROM s.session
),
-- an ancestor's COM activations (itself: the descendants' are in descendants, with theirs)
ancestor_activations AS (
  SELECT a.alert_id, al.event_id, a.depth + 1 AS depth, al.after_seconds, al.parent_name, al.activator_name
  FROM ancestors a JOIN activation_links al ON al.alert_id = a.alert_id AND al.activator_event_id = a.event_id
  WHERE a.depth > 0
),
-- Another run of the alert's command: the program and command line of the alert process, its parent
-- or grandparent run again in the window by the alert's account in a person's session (a payload run
-- again after a reboot, an implant relaunched), and down from it the chain that repeats the tree: its
-- children and COM activations with the command line of a process of the tree, and theirs (another
-- console's unrelated commands stay out). Beside the tree, at the session's rank. Not the operating
-- system's own processes, nor the chain the alert descends from (a program that relaunched itself
-- with its own command line, above the grandparent). offset_ms: from the tree's run.
-- the tree's processes: descendants, ancestors and the ancestors' activations
tree_members AS (
  SELECT alert_id, event_id FROM descendants UNION SELECT alert_id, event_id FROM ancestors
  UNION SELECT alert_id, event_id FROM ancestor_activations
),
tree_lines AS MATERIALIZED (
  SELECT m.alert_id, m.event_id, lower(d.image) AS image, d.command_line
  FROM tree_members m
  JOIN context_day_events d ON d.pass = getvariable('ac_pass') AND d.event_id = m.event_id
  WHERE d.command_line IS NOT NULL
),
-- the window's processes of the alert's account in a person's session, outside the tree, whose
-- line is a tree process's (read by event id: bounded by the windows)
account_reruns AS MATERIALIZED (
  SELECT DISTINCT e.alert_id, e.event_id, e.ts, e.logon_id, lower(d.image) AS image, d.command_line
  FROM window_events e
  JOIN alert_scope s USING (alert_id)
  JOIN context_day_events d ON d.pass = getvariable('ac_pass') AND d.event_id = e.event_id
  JOIN tree_lines l ON l.alert_id = e.alert_id AND l.image = lower(d.image) AND l.command_line = d.command_line
  JOIN context_event_features f ON f.event_id = e.event_id
  WHERE NOT f.os_core AND ac_account(e.user_name) = s.account
    AND NOT coalesce(list_contains(getvariable('ac_well_known_logons'), e.logon_id), true)
    AND NOT EXISTS (SELECT 1 FROM tree_lines x WHERE x.alert_id = e.alert_id AND x.event_id = e.event_id)
),
rerun_roots AS MATERIALIZED (
  SELECT a.alert_id, r.event_id, r.logon_id, arg_min(t.process_name, (a.depth, t.event_id)) AS of_name,
         arg_min(epoch_ms(r.ts) - epoch_ms(t.ts), (a.depth, t.event_id)) AS offset_ms
  FROM ancestors a
  JOIN tree_lines l ON l.alert_id = a.alert_id AND l.event_id = a.event_id
  JOIN window_events t ON t.alert_id = a.alert_id AND t.event_id = a.event_id
  JOIN account_reruns r ON r.alert_id = a.alert_id AND r.image = l.image AND r.command_line = l.command_line
  WHERE NOT EXISTS (SELECT 1 FROM parent_links pl JOIN ancestors x ON x.alert_id = pl.alert_id AND x.event_id = pl.event_id
                    WHERE pl.alert_id = a.alert_id AND pl.parent_event_id = r.event_id)
  GROUP BY a.alert_id, r.event_id, r.logon_id
),
rerun_tree(alert_id, event_id, depth, activated, root_event_id) AS (
  SELECT alert_id, event_id, 0, false, event_id FROM rerun_roots
  UNION
  SELECT l.alert_id, l.event_id, r.depth + 1, l.activated, r.root_event_id
  FROM rerun_tree r
  JOIN (SELECT alert_id, event_id, parent_event_id, false AS activated FROM parent_links
        UNION ALL SELECT alert_id, event_id, activator_event_id, true FROM activation_links) l
    ON l.alert_id = r.alert_id AND l.parent_event_id = r.event_id
  JOIN account_reruns c ON c.alert_id = l.alert_id AND c.event_id = l.event_id
  WHERE r.depth < 16
),
-- the tree's members (rank 1) and the other runs' (rank 2), for the prompts
members AS (
  SELECT alert_id, event_id, 1 AS relation_rank FROM tree_members UNION SELECT alert_id, event_id, 2 FROM rerun_tree
),
-- A launch's prompt (models/os-core.ts: User Account Control's consent.exe in the machine's session,
-- SmartScreen's check and warning in the user's): the program it let through starts after it under the process
-- that asked, in the asker's or another logon session of a person; only time ties them. A prompt is
-- in the tree when the first launch after it, within a minute, is a process of the tree: the first
-- start in a person's session that is not the system's (system_starts); after a prompt shown in a
-- person's session, by that account, or the first process of a logon session (the one an
-- administrator's credentials typed into the prompt open).
launches AS MATERIALIZED (
  SELECT e.alert_id, e.event_id, e.ts, e.process_name, ac_account(e.user_name) AS account,
         e.ts = min(e.ts) OVER (PARTITION BY e.alert_id, e.logon_id) AS opens_session, coalesce(f.started_by_os, false) AS started_by_os
  FROM window_events e LEFT JOIN context_event_features f USING (event_id)
  WHERE NOT coalesce(list_contains(getvariable('ac_well_known_logons'), e.logon_id), true)
    AND NOT EXISTS (SELECT 1 FROM system_starts x WHERE x.alert_id = e.alert_id AND x.event_id = e.event_id)
    AND f.prompt IS NULL -- (not what a prompt let through: SmartScreen's check, its warning (parent may be unrecorded), UAC's prompt)
),
prompt_next AS (
  SELECT p.alert_id, p.event_id, any_value(f.prompt) AS prompt, bool_or(f.prompt_asks) AS asks, arg_min(q.event_id, (q.ts, q.event_id)) AS launch_event_id,
         arg_min(q.process_name, (q.ts, q.event_id)) AS launched_name,
         round((epoch_ms(min(q.ts)) - epoch_ms(p.ts)) / 1000, 1) AS before_seconds
  FROM window_events p
  JOIN context_event_features f ON f.event_id = p.event_id AND f.prompt IS NOT NULL
  JOIN launches q ON q.alert_id = p.alert_id AND q.event_id <> p.event_id AND q.ts BETWEEN p.ts AND p.ts + INTERVAL 1 MINUTE
   AND (coalesce(list_contains(getvariable('ac_well_known_logons'), p.logon_id), true) OR q.account = ac_account(p.user_name) OR q.opens_session)
   -- (SmartScreen's check: the shell's launch, not what another program starts first)
   AND (NOT f.prompt_shell_launch OR q.started_by_os)
  GROUP BY p.alert_id, p.event_id, p.ts
),
prompt_links AS (
  SELECT n.alert_id, n.event_id, n.prompt, n.asks, n.before_seconds, n.launched_name AS elevated_name, min(m.relation_rank) AS relation_rank
  FROM prompt_next n JOIN members m ON m.alert_id = n.alert_id AND m.event_id = n.launch_event_id
  GROUP BY ALL
)
-- Each event's place in the alert's tree (or another run's): the nearest (the tree, least depth,
-- the activator nearest in time, then the text).
SELECT alert_id, event_id, min(relation_rank) AS relation_rank,
       arg_min(relation, (relation_rank, depth, after, relation)) AS relation, arg_min(is_ancestor, (relation_rank, depth, after, relation)) AS is_ancestor,
       -- a prompt that asked the person and let a process of the tree start (context_kept.sql)
       bool_or(asking_prompt) AS asking_prompt
FROM (SELECT d.alert_id, d.event_id, 1 AS relation_rank, d.depth, coalesce(al.after_seconds, 0) AS after, false AS is_ancestor, false AS asking_prompt,
             CASE WHEN d.activated AND al.kind = 'task'
                  THEN format('started by the system ({}) as the task that {} of the alert''s process tree registered, {} s after it', al.parent_name, al.activator_name, al.after_seconds)
                  WHEN d.activated
                  THEN format('started by the system ({}) {} s after {} of the alert''s process tree', coalesce(nullif(al.parent_name, ''), 'an unrecorded parent'), al.after_seconds, al.activator_name)
                  -- (below an activation: the activated process's child or descendant)
                  WHEN s.names_process AND d.act_id IS NOT NULL
                  THEN format('{} {}, which the system ({}) started {} s after {} of the alert''s process tree', CASE WHEN d.depth = d.act_depth + 1 THEN 'child of' ELSE 'descendant of' END,
                              aw.process_name, coalesce(nullif(aa.parent_name, ''), 'an unrecorded parent'), aa.after_seconds, aa.activator_name)
                  WHEN s.names_process -- (else the remote roots of a network logon: remote_alerts)
                  THEN CASE d.depth WHEN 0 THEN 'the alert process' || CASE WHEN s.entry_seconds IS NULL THEN '' ELSE format(', started {} s after the network logon {}{}', s.entry_seconds, s.session,
                                                                         coalesce(' of ' || s.account, '') || coalesce(' from ' || list_filter(list_transform(s.session_clients, c -> coalesce(c.source_host, c.source_ip)), x -> x IS NOT NULL)[1], '')) END
                                    WHEN 1 THEN 'child of the alert process' ELSE 'descendant of the alert process' END
                  WHEN r.who IS NULL
                  THEN CASE d.depth WHEN 0 THEN format('started by {} {} s after the alert''s network logon {}', coalesce(nullif(r.parent_name, ''), 'an unrecorded parent'), round(r.after_seconds, 1), r.logon_id)
                                    WHEN 1 THEN format('child of a process started after the alert''s network logon {}', s.session)
                                    ELSE format('descendant of a process started after the alert''s network logon {}', s.session) END
                  -- (a follow-on logon's: which one, and when after the alert's)
                  ELSE CASE d.depth WHEN 0 THEN format('started by {} {} s after ', coalesce(nullif(r.parent_name, ''), 'an unrecorded parent'), round(r.after_seconds, 1))
                                    WHEN 1 THEN 'child of a process started after ' ELSE 'descendant of a process started after ' END
                       || format('the network logon {}{}, {} s after the alert''s network logon {} from the same client', r.logon_id, r.who,
                                 round((epoch_ms(r.logon_ts) - epoch_ms(s.session_logon_ts)) / 1000, 1), s.session) END
             -- (a remote root that is a WMI session's consumer host: why so many seconds later)
             || CASE WHEN r.consumer AND d.depth = 0 THEN ', a WMI session: WMI''s event consumer host, which runs the consumers such a session registers' ELSE '' END AS relation
      FROM descendants d JOIN alert_scope s USING (alert_id)
      LEFT JOIN remote_roots r ON r.alert_id = d.alert_id AND r.event_id = d.root_id
      -- (via is NULL but on an activation: the condition stays an equi-join, not a nested loop)
      LEFT JOIN activation_links al ON al.alert_id = d.alert_id AND al.event_id = d.event_id AND al.activator_event_id = d.via
      LEFT JOIN activation_links aa ON aa.alert_id = d.alert_id AND aa.event_id = d.act_id AND aa.activator_event_id = d.act_via
      LEFT JOIN activated_names aw ON aw.alert_id = d.alert_id AND aw.event_id = d.act_id
      UNION ALL
      SELECT a.alert_id, a.event_id, 1, a.depth, 0, true, false,
             CASE WHEN sa.event_id IS NOT NULL
                  THEN format('{}{} {} s later', sa.asked, CASE sa.depth WHEN 1 THEN '' ELSE ',' END, sa.after_seconds)
                  WHEN sk.event_id IS NOT NULL
                  THEN format('{} {}, which {}', CASE WHEN a.child_id = a.asker_id THEN 'parent of' ELSE 'ancestor of' END, sk.activator_name, sk.asked)
                  WHEN a.depth = 1 THEN 'parent of the alert process' ELSE 'ancestor of the alert process' END
      FROM ancestors a
      LEFT JOIN service_asks sa ON sa.alert_id = a.alert_id AND sa.event_id = a.event_id AND sa.depth = a.depth
      LEFT JOIN service_asks sk ON sk.alert_id = a.alert_id AND sk.event_id = a.asker_id
      WHERE a.depth > 0
      UNION ALL
      SELECT alert_id, event_id, 1, depth, after_seconds, false, false,
             format('started by the system ({}) {} s after {} of the alert''s process tree', coalesce(nullif(parent_name, ''), 'an unrecorded parent'), after_seconds, activator_name)
      FROM ancestor_activations
      UNION ALL
      SELECT alert_id, event_id, relation_rank, 1, before_seconds, false, asks AND relation_rank = 1,
             format(CASE relation_rank WHEN 1 THEN '{} {} s before {} of the alert''s process tree started'
                                       ELSE '{} {} s before {} started, in another run of a command of the alert''s process tree' END,
                    prompt, before_seconds, elevated_name)
      FROM prompt_links
      UNION ALL
      SELECT t.alert_id, t.event_id, 2, t.depth, 0, false, false,
             format(CASE WHEN t.depth = 0 THEN 'another run of {} of the alert''s process tree (the same command line), {} in logon session {}'
                         WHEN t.activated THEN 'started by the system for another run of {} of the alert''s process tree ({} in logon session {})'
                         WHEN t.depth = 1 THEN 'child of another run of {} of the alert''s process tree ({} in logon session {})'
                         ELSE 'descendant of another run of {} of the alert''s process tree ({} in logon session {})' END,
                    rr.of_name,
                    format('{} {} it', CASE WHEN abs(rr.offset_ms) < 60000 THEN format('{} s', round(abs(rr.offset_ms) / 1000, 1)) ELSE format('{} min', round(abs(rr.offset_ms) / 60000, 1)) END,
                           CASE WHEN rr.offset_ms < 0 THEN 'before' ELSE 'after' END), rr.logon_id)
      FROM rerun_tree t JOIN rerun_roots rr ON rr.alert_id = t.alert_id AND rr.event_id = t.root_event_id
      UNION ALL
      -- the service a command of the alert's logon session started (in the service's own session)
      SELECT sl.alert_id, sl.event_id, 2, 1, sl.after_seconds, false, false,
             format(CASE sl.kind WHEN 'task' THEN 'started by the system ({0}) as the task that {2} of the alert''s logon session {3} registered, {1} s after it'
                                 ELSE 'started by the system ({}) {} s after {} of the alert''s logon session {}' END, sl.parent_name, sl.after_seconds, sl.activator_name, s.session)
      FROM service_links sl JOIN alert_scope s USING (alert_id)
      JOIN window_events q ON q.alert_id = sl.alert_id AND q.event_id = sl.activator_event_id
      WHERE q.logon_id = s.session AND NOT coalesce(list_contains(getvariable('ac_well_known_logons'), s.session), false)
      UNION ALL
      -- the session of a person's command that had the alert's process (or PsExec's service, its
      -- parent) started as a service (`sc config Fax binPath= <payload>`, then `sc start Fax`): its other processes
      SELECT e.alert_id, e.event_id, 2, 1, 0, false, false, format('in logon session {} of {}, which {}', a.logon_id, a.activator_name, a.asked)
      FROM asker_sessions a JOIN window_events e ON e.alert_id = a.alert_id AND e.logon_id = a.logon_id)
GROUP BY alert_id, event_id;
