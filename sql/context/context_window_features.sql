-- layer: intermediate
-- parameters: ac_well_known_logons VARCHAR[], ac_well_known_accounts VARCHAR[], ac_pass INTEGER
-- parameters: ac_remote_exec_seconds INTEGER
-- Every event of the alerts' windows (context_window_keys.sql, once per alert and event) with its
-- relation to the alert (context_alert_scope.sql), the evidence's rank: 1 the alert's process tree
-- (the alert process, its ancestors and descendants; for an alert on a network logon that names no
-- process, what the host started right after the logon and its descendants), 2 its logon
-- session (from where remote execution entered it, session_entries), 3 its account on the host,
-- 4 elsewhere on the host; and its features
-- (context_event_features.sql). Independent of the thresholds but the windows
-- (ac_remote_exec_seconds is windows.remote_exec_seconds): made once for any number of threshold
-- points (context_candidates.sql judges them).
CREATE OR REPLACE TEMP TABLE context_window_features AS
WITH RECURSIVE window_events AS NOT MATERIALIZED (SELECT * FROM context_window_keys),
-- Each event's parent (context_event_features.sql), when it is in the alert's window, with both
-- sessions and the parent's start (session_entries).
parent_links AS MATERIALIZED (
  SELECT e.alert_id, e.event_id, f.parent_event_id, e.logon_id, q.logon_id AS parent_logon_id, q.ts AS parent_ts
  FROM window_events e
  JOIN context_event_features f USING (event_id)
  JOIN window_events q ON q.alert_id = e.alert_id AND q.event_id = f.parent_event_id
),
alert_scope AS NOT MATERIALIZED (SELECT * FROM context_alert_scope),
-- A process the system starts in a person's session: its parent runs as the machine (in a
-- well-known session, or, not in the window, 9 in 10 of its fleet runs are there). COM servers,
-- start-up, scheduled tasks: the system working for the session (delegated_events), or a COM
-- activation one of the session's processes asked for (activation_links).
system_starts AS MATERIALIZED (
  SELECT e.alert_id, e.event_id, e.ts, e.logon_id, e.parent_name, e.process_id,
         count(*) OVER (PARTITION BY e.alert_id, e.logon_id ORDER BY e.ts RANGE BETWEEN INTERVAL 30 SECOND PRECEDING AND INTERVAL 30 SECOND FOLLOWING) - 1 AS others_nearby
  FROM window_events e
  LEFT JOIN parent_links pl USING (alert_id, event_id)
  LEFT JOIN baseline_process bp ON bp.as_of = e.ts::DATE AND bp.process_name = e.parent_name
  WHERE CASE WHEN pl.event_id IS NOT NULL THEN coalesce(list_contains(getvariable('ac_well_known_logons'), pl.parent_logon_id), false)
             ELSE coalesce(bp.machine_events >= 0.9 * bp.events, false) END
    AND NOT coalesce(list_contains(getvariable('ac_well_known_logons'), e.logon_id), false)
),
-- A COM activation: a process the system starts in a session within ac_remote_exec_seconds after
-- another process of that session started, one that is the session's own work (its parent ran in
-- the session too, or is not in the window; not itself a system start, so that activations do not
-- chain; not a child of the process, whose start the sensors can stamp after its child's):
-- calc.exe handing off to the packaged Calculator.exe,
-- which svchost's DcomLaunch starts; a COM elevation's dllhost.exe. Process telemetry names the
-- service host as its parent and not who asked: each such start before it is a possible activator
-- (two calc.exe a few milliseconds apart hand off to one Calculator.exe), and it belongs to their
-- trees (descendants below; ancestors stay the parent's). Only where
-- the system starts few processes in the session (fewer than 3 others in the minute around it,
-- others_nearby): at a logon it starts dozens, and one would follow a process of the session by chance.
activation_links AS MATERIALIZED (
  SELECT e.alert_id, e.event_id, q.event_id AS activator_event_id, q.process_name AS activator_name,
         round((epoch_ms(e.ts) - epoch_ms(q.ts)) / 1000, 1) AS after_seconds, e.parent_name
  FROM system_starts e
  JOIN window_events q ON q.alert_id = e.alert_id AND q.logon_id = e.logon_id AND q.event_id <> e.event_id
   AND q.ts BETWEEN e.ts - to_seconds(getvariable('ac_remote_exec_seconds')) AND e.ts
  LEFT JOIN parent_links ql ON ql.alert_id = q.alert_id AND ql.event_id = q.event_id
  WHERE getvariable('ac_remote_exec_seconds') > 0
    AND (ql.event_id IS NULL OR ql.parent_logon_id IS NOT DISTINCT FROM q.logon_id)
    AND q.parent_process_id IS DISTINCT FROM e.process_id
    AND NOT EXISTS (SELECT 1 FROM system_starts x WHERE x.alert_id = q.alert_id AND x.event_id = q.event_id)
    AND e.others_nearby < 3
),
-- Remote execution: an alert on a network logon names no process, and the logon's session often runs
-- nothing: the service PsExec and its kin install, or a task started remotely, runs as the machine,
-- a DCOM object (ShellWindows, MMC20) starts its process in the desktop user's explorer or mmc, and
-- nothing in the process events ties it to the logon but time. For such an alert (no process, a
-- network logon whose session ran nothing in the window), what the host starts from a second before
-- the logon (Security and Sysmon stamp their events apart: in the OTRF WMIC capture a process of a
-- session is recorded 1.1 s before that session's logon) to ac_remote_exec_seconds after it is what
-- the logon caused: the first of each chain is a root, and the roots with their descendants
-- (below) are the alert's process tree.
remote_alerts AS (
  SELECT s.alert_id, s.session, s.session_logon_ts
  FROM alert_scope s
  -- (an alert that names a process id is about that process: pid_children below, not the logon's roots)
  WHERE getvariable('ac_remote_exec_seconds') > 0 AND s.session_logon_ts IS NOT NULL AND NOT s.names_process
    AND NOT EXISTS (SELECT 1 FROM window_events q WHERE q.alert_id = s.alert_id AND q.logon_id = s.session)
),
remote_starts AS (
  SELECT e.alert_id, e.event_id, e.parent_name, a.session,
         greatest(0, epoch_ms(e.ts) - epoch_ms(a.session_logon_ts)) / 1000 AS after_seconds
  FROM window_events e JOIN remote_alerts a USING (alert_id)
  WHERE e.ts BETWEEN a.session_logon_ts - INTERVAL 1 SECOND AND a.session_logon_ts + to_seconds(getvariable('ac_remote_exec_seconds'))
),
remote_roots AS (
  SELECT r.* FROM remote_starts r
  LEFT JOIN parent_links pl USING (alert_id, event_id)
  LEFT JOIN remote_starts q ON q.alert_id = pl.alert_id AND q.event_id = pl.parent_event_id
  WHERE q.event_id IS NULL
),
-- An alert's process that started before its windows (a long-running implant) or was not recorded:
-- its children in the windows by its process id, up to another process taking that id (ids are reused).
pid_children AS (
  SELECT e.alert_id, e.event_id
  FROM window_events e JOIN alert_scope s USING (alert_id)
  WHERE s.process_event_id IS NULL AND e.parent_process_id = s.alert_process_id
    AND NOT EXISTS (SELECT 1 FROM window_events q WHERE q.alert_id = e.alert_id AND q.process_id = s.alert_process_id AND q.ts <= e.ts)
),
-- The alert process's descendants (its children by id when it is not in the windows), or (an alert
-- without a process) the remote roots' descendants.
descendants(alert_id, event_id, depth, activated, via) AS (
  SELECT alert_id, process_event_id, 0, false, NULL::VARCHAR FROM alert_scope WHERE process_event_id IS NOT NULL
  UNION
  SELECT alert_id, event_id, 1, false, NULL FROM pid_children
  UNION
  SELECT alert_id, event_id, 0, false, NULL FROM remote_roots
  UNION
  -- (via: the activator, for an activation's wording)
  SELECT l.alert_id, l.event_id, d.depth + 1, l.activated, CASE WHEN l.activated THEN d.event_id END
  FROM descendants d
  JOIN (SELECT alert_id, event_id, parent_event_id, false AS activated FROM parent_links
        UNION ALL SELECT alert_id, event_id, activator_event_id, true FROM activation_links) l
    ON l.alert_id = d.alert_id AND l.parent_event_id = d.event_id
  WHERE d.depth < 16
),
ancestors(alert_id, event_id, depth) AS (
  SELECT alert_id, process_event_id, 0 FROM alert_scope WHERE process_event_id IS NOT NULL
  UNION
  SELECT l.alert_id, l.parent_event_id, a.depth + 1
  FROM ancestors a JOIN parent_links l ON l.alert_id = a.alert_id AND l.event_id = a.event_id
  WHERE a.depth < 2 -- the parent and the grandparent: further up are the session's or the machine's start-up
),
-- An elevation's prompt (models/os-core.ts: User Account Control's consent.exe, in the machine's
-- session): the program it elevates starts after it under the process that asked, in the asker's or
-- another logon session of a person; only time ties them. A prompt up to a minute before a process of
-- the alert's tree started in a person's session (not by the system: system_starts) is in the tree,
-- named by the first such start after it.
prompt_links AS (
  SELECT p.alert_id, p.event_id, round((epoch_ms(min(q.ts)) - epoch_ms(p.ts)) / 1000, 1) AS before_seconds,
         arg_min(q.process_name, (q.ts, q.event_id)) AS elevated_name
  FROM window_events p
  JOIN context_event_features f ON f.event_id = p.event_id AND f.elevation_prompt
  JOIN (SELECT alert_id, event_id FROM descendants UNION SELECT alert_id, event_id FROM ancestors) t ON t.alert_id = p.alert_id
  JOIN window_events q ON q.alert_id = t.alert_id AND q.event_id = t.event_id AND q.ts BETWEEN p.ts AND p.ts + INTERVAL 1 MINUTE
  WHERE NOT coalesce(list_contains(getvariable('ac_well_known_logons'), q.logon_id), true)
    AND NOT EXISTS (SELECT 1 FROM system_starts x WHERE x.alert_id = q.alert_id AND x.event_id = q.event_id)
  GROUP BY p.alert_id, p.event_id, p.ts
),
-- Remote execution into a session: the alert process, or an ancestor of it in its session, started by
-- a process of that session from a second before to ac_remote_exec_seconds after a network logon to
-- the host whose own session ran nothing in the window. A DCOM object (ShellWindows, ShellBrowserWindow,
-- MMC20) starts the intruder's command in the desktop user's explorer or mmc: the process is in the
-- user's session, the user's own earlier work (the desktop's start-up, the applications) is not the
-- intruder's. The session was entered then: what it ran before counts as activity on the host, and
-- the entry names its logon. The earliest such start of each alert; ties by id.
session_ancestors(alert_id, event_id, session, depth) AS (
  SELECT alert_id, process_event_id, session, 0 FROM alert_scope
  WHERE process_event_id IS NOT NULL AND session IS NOT NULL AND session_logon_ts IS NULL AND getvariable('ac_remote_exec_seconds') > 0
  UNION
  SELECT a.alert_id, l.parent_event_id, a.session, a.depth + 1
  FROM session_ancestors a
  JOIN parent_links l ON l.alert_id = a.alert_id AND l.event_id = a.event_id AND l.logon_id = a.session AND l.parent_logon_id = a.session
  WHERE a.depth < 16
),
-- A person's network logons to this pass's hosts with an alert in a desktop or RDP session
-- (context_span_logons.sql, read once for all passes).
span_network_logons AS (
  SELECT * EXCLUDE (pass) FROM context_span_logons
  WHERE pass = getvariable('ac_pass')
    AND host IN (SELECT DISTINCT s.host FROM session_ancestors a JOIN alert_scope s USING (alert_id))
),
-- Who opened each alert's session, from where (context_alert_scope.sql): the session's own client
-- authenticating again (an RDP client reconnecting logs a network logon first) does not enter it.
session_clients AS (
  SELECT alert_id, unnest(session_clients, recursive := true) FROM alert_scope WHERE session_clients IS NOT NULL
),
-- Only into a desktop or RDP session (session_ancestors starts from those alerts only): a network
-- logon's own session (WinRM, WMI, a service run as a user) is entered by its own client only. And
-- only on a quiet host: where other people's network
-- logons come often enough that one would fall in the span by chance (at least 1 in 20 of the
-- time, counting those of the hour around the start), a coincidence says nothing, and the session's
-- earlier commands would be lost to it.
entry_candidates AS (
  SELECT a.alert_id, s.host, a.event_id, e.ts, e.parent_name, l.logon_id, l.ts AS logon_ts, l.account, l.source_ip, l.source_host, l.who
  FROM session_ancestors a
  JOIN alert_scope s USING (alert_id)
  JOIN window_events e ON e.alert_id = a.alert_id AND e.event_id = a.event_id AND e.logon_id = s.session
  -- its parent ran in the same session already (or before the window)
  LEFT JOIN parent_links pl ON pl.alert_id = a.alert_id AND pl.event_id = a.event_id
  JOIN span_network_logons l ON l.host = s.host AND l.logon_id <> s.session
   AND e.ts BETWEEN l.ts - INTERVAL 1 SECOND AND l.ts + to_seconds(getvariable('ac_remote_exec_seconds'))
  WHERE (pl.event_id IS NULL OR (pl.parent_logon_id = s.session AND pl.parent_ts < l.ts - INTERVAL 1 SECOND))
),
quiet_candidates AS (
  SELECT c.*
  FROM entry_candidates c
  LEFT JOIN span_network_logons o ON o.host = c.host
   AND o.ts BETWEEN c.ts - INTERVAL 30 MINUTE AND c.ts + INTERVAL 30 MINUTE
   AND NOT (o.account = c.account AND (o.source_ip IS NOT DISTINCT FROM c.source_ip OR o.source_host IS NOT DISTINCT FROM c.source_host))
  GROUP BY ALL
  HAVING count(o.logon_id) * (getvariable('ac_remote_exec_seconds') + 1) < 0.05 * 3600
),
session_entries AS (
  SELECT alert_id,
         arg_min(event_id, (ts, event_id)) AS entry_event_id, min(ts) AS entered_ts,
         -- the logon the start followed (else the nearest after it)
         arg_min(format('started by {} {} s after network logon {}{}', coalesce(nullif(parent_name, ''), 'an unrecorded parent'),
                        round(greatest(0, epoch_ms(ts) - epoch_ms(logon_ts)) / 1000, 1), logon_id, who),
                 (ts, event_id, ts < logon_ts, abs(epoch_ms(ts) - epoch_ms(logon_ts)), logon_id)) AS entry
  FROM quiet_candidates c
  WHERE NOT EXISTS (SELECT 1 FROM window_events q WHERE q.alert_id = c.alert_id AND q.logon_id = c.logon_id)
    -- the session's own client: the same account from the same address or host, or from where
    -- either logon leaves unrecorded (Kerberos network logons record no address)
    AND NOT EXISTS (SELECT 1 FROM session_clients k
                    WHERE k.alert_id = c.alert_id AND k.account = c.account
                      AND (k.source_ip = c.source_ip OR k.source_host = c.source_host
                           OR coalesce(k.source_ip, k.source_host) IS NULL OR coalesce(c.source_ip, c.source_host) IS NULL))
  GROUP BY alert_id
),
-- Each event's place in the alert's tree: the nearest.
tree AS (
  -- (the nearest: the least depth, then the activator nearest in time, then the text)
  SELECT alert_id, event_id, arg_min(relation, (depth, after, relation)) AS relation, arg_min(is_ancestor, (depth, after, relation)) AS is_ancestor
  FROM (SELECT d.alert_id, d.event_id, d.depth, coalesce(al.after_seconds, 0) AS after, false AS is_ancestor,
               CASE WHEN d.activated
                    THEN format('started by the system ({}) {} s after {} of the alert''s process tree', coalesce(nullif(al.parent_name, ''), 'an unrecorded parent'), al.after_seconds, al.activator_name)
                    WHEN s.names_process -- (else the remote roots of a network logon: remote_alerts)
                    THEN CASE d.depth WHEN 0 THEN 'the alert process' WHEN 1 THEN 'child of the alert process' ELSE 'descendant of the alert process' END
                    ELSE CASE d.depth WHEN 0 THEN format('started by {} {} s after the alert''s network logon {}', coalesce(nullif(r.parent_name, ''), 'an unrecorded parent'), round(r.after_seconds, 1), r.session)
                                      WHEN 1 THEN format('child of a process started after the alert''s network logon {}', s.session)
                                      ELSE format('descendant of a process started after the alert''s network logon {}', s.session) END END AS relation
        FROM descendants d JOIN alert_scope s USING (alert_id)
        LEFT JOIN remote_roots r ON r.alert_id = d.alert_id AND r.event_id = d.event_id AND d.depth = 0
        LEFT JOIN activation_links al ON d.activated AND al.alert_id = d.alert_id AND al.event_id = d.event_id AND al.activator_event_id = d.via
        UNION ALL
        SELECT alert_id, event_id, depth, 0, true, CASE depth WHEN 1 THEN 'parent of the alert process' ELSE 'ancestor of the alert process' END FROM ancestors WHERE depth > 0
        UNION ALL
        SELECT alert_id, event_id, 1, before_seconds, false,
               format('User Account Control''s elevation prompt {} s before {} of the alert''s process tree started', before_seconds, elevated_name)
        FROM prompt_links)
  GROUP BY alert_id, event_id
),
-- A process the system started in a person's session (system_starts: its parent a service host)
-- that leads nowhere (no child in the window) is the system working for the session (COM servers,
-- start-up, scheduled tasks), not the session's command-line activity: it counts as activity on the
-- host. Not in the alert's own network
-- logon's session: that session has no desktop, and what runs in it (a COM server such as Excel's
-- `/automation -Embedding` started for a remote caller) is the remote caller's doing (a remote-execution
-- rule: off with windows.remote_exec_seconds 0, as the others).
delegated_events AS (
  SELECT e.alert_id, e.event_id
  FROM system_starts e
  JOIN alert_scope s USING (alert_id)
  WHERE NOT (getvariable('ac_remote_exec_seconds') > 0 AND s.session_logon_ts IS NOT NULL AND e.logon_id IS NOT DISTINCT FROM s.session)
    AND NOT EXISTS (SELECT 1 FROM parent_links c WHERE c.alert_id = e.alert_id AND c.parent_event_id = e.event_id)
),
-- The events with the alert's command line within a minute of it (context_day_events.sql holds the
-- lines once per event; a window event is one of them when the ids meet below).
alert_line_events AS (
  SELECT s.alert_id, d.event_id
  FROM alert_scope s
  JOIN context_day_events d ON d.pass = getvariable('ac_pass') AND d.host = s.host AND d.command_line = s.alert_command_line
   AND d.ts BETWEEN s.alert_ts - INTERVAL 1 MINUTE AND s.alert_ts + INTERVAL 1 MINUTE
),
related_ranked AS MATERIALIZED (
  SELECT e.* EXCLUDE (account_key), s.session IS NOT NULL AS alert_has_session,
         s.alert_scoped, -- (context_alert_scope.sql)
         CASE WHEN t.event_id IS NOT NULL THEN 1 WHEN d.event_id IS NOT NULL THEN 4
              WHEN e.logon_id = s.session AND e.ts < en.entered_ts THEN 4
              WHEN e.logon_id = s.session THEN 2 WHEN e.account_key = s.account THEN 3 ELSE 4 END AS relation_rank,
         CASE WHEN t.event_id IS NOT NULL THEN t.relation
              WHEN e.logon_id = s.session AND e.ts < en.entered_ts
                THEN format('in the alert''s logon session {} before the alert''s process chain entered it ({})', s.session, en.entry)
              WHEN d.event_id IS NOT NULL AND (e.logon_id = s.session OR e.account_key = s.account)
                THEN format('started by the system ({}) in the alert''s {}', e.parent_name,
                            CASE WHEN e.logon_id = s.session THEN format('logon session {}', s.session) ELSE format('account {}', s.account) END)
              WHEN e.logon_id = s.session THEN format('in the alert''s logon session {}', s.session)
              WHEN e.account_key = s.account THEN format('run by the alert''s account {}', s.account)
              WHEN s.alert_scoped THEN 'on the host, outside the alert''s session'
              ELSE 'on the alert''s host' END
           || CASE WHEN e.event_id = en.entry_event_id THEN '; ' || en.entry ELSE '' END AS relation,
         -- the alert's own event (its process, or its command line at its time): the alert itself, not context for it
         coalesce(e.event_id = s.process_event_id, false) OR l.event_id IS NOT NULL AS alert_event,
         -- an ancestor that runs as the machine (SYSTEM, LOCAL or NETWORK SERVICE, a machine account)
         -- in another session than the alert's (a service host such as wmiprvse.exe or the task
         -- scheduler's svchost.exe starting a user's process): the machine's plumbing, listed only
         -- when unusual itself (context_candidates.sql); the alert process's reason names its
         -- parent. Another person's ancestor (runas, stolen credentials) stays the alert's tree.
         coalesce(t.is_ancestor, false) AND (s.session IS NOT NULL OR s.account IS NOT NULL)
           AND (coalesce(list_contains(getvariable('ac_well_known_logons'), e.logon_id), false)
                OR ac_machine_account(e.account_key, getvariable('ac_well_known_accounts')))
           AND NOT coalesce(e.logon_id = s.session, false) AND NOT coalesce(e.account_key = s.account, false) AS foreign_ancestor
  -- the account's key once per row (a regular expression; the relation tests it up to five times)
  FROM (SELECT *, ac_account(user_name) AS account_key FROM window_events) e
  JOIN alert_scope s USING (alert_id) LEFT JOIN tree t USING (alert_id, event_id)
  LEFT JOIN session_entries en USING (alert_id)
  LEFT JOIN delegated_events d USING (alert_id, event_id)
  LEFT JOIN alert_line_events l USING (alert_id, event_id)
),
window_features AS (
  -- the texts (command line, template, rarity reason, family shape) are joined where items are made
  SELECT w.*, f.template_hosts, f.pair_hosts, f.fleet_hosts, f.host_days, f.history_days, f.host_history_days, f.pair_daily_events, f.os_core
  FROM related_ranked w JOIN context_event_features f USING (event_id)
)
SELECT * FROM window_features;
