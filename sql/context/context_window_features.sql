-- layer: intermediate
-- parameters: ac_well_known_logons VARCHAR[], ac_well_known_accounts VARCHAR[], ac_pass INTEGER
-- parameters: ac_remote_exec_seconds INTEGER
-- Every event of the alerts' windows (context_window_keys.sql, once per alert and event) with its
-- relation to the alert (context_alert_scope.sql), the evidence's rank: 1 the alert's process tree
-- (context_window_tree.sql), 2 its logon session (from where remote execution entered it,
-- context_session_entries.sql), 3 its account on the host, 4 elsewhere on the host; and its
-- features (context_event_features.sql). Independent of the thresholds but the windows
-- (ac_remote_exec_seconds is windows.remote_exec_seconds): made once for any number of threshold
-- points (context_candidates.sql judges them).
CREATE OR REPLACE TEMP TABLE context_window_features AS
WITH window_events AS NOT MATERIALIZED (SELECT * FROM context_window_keys),
parent_links AS NOT MATERIALIZED (SELECT * FROM context_parent_links),
system_starts AS NOT MATERIALIZED (SELECT * FROM context_system_starts),
alert_scope AS NOT MATERIALIZED (SELECT * FROM context_alert_scope),
tree AS NOT MATERIALIZED (SELECT * FROM context_window_tree),
session_entries AS NOT MATERIALIZED (SELECT * FROM context_session_entries),
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
         CASE WHEN t.event_id IS NOT NULL THEN t.relation_rank WHEN d.event_id IS NOT NULL THEN 4
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
         -- a prompt that asked the person and let a process of the alert's tree start (context_window_tree.sql)
         coalesce(t.asking_prompt, false) AS launch_prompt,
         -- the alert's process, run by hand in a person's session (context_alert_scope.sql)
         coalesce(e.event_id = s.process_event_id AND s.hands_on, false) AS hands_on,
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
