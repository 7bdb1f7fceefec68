-- layer: intermediate
-- parameters: ac_well_known_logons VARCHAR[], ac_well_known_accounts VARCHAR[], ac_pass INTEGER
-- parameters: ac_span_lo TIMESTAMP, ac_span_hi TIMESTAMP, ac_command_shells VARCHAR[], ac_remote_exec_seconds INTEGER
-- Each alert of context_alert_jobs with what ties an event to it: its process (an event of its
-- windows, context_window_keys.sql), its logon session and its account, and when the session is a
-- network logon, when that logon began (context_window_tree.sql: what the host starts right
-- after it), and the session's clients (who may enter it again without entering it anew). The session and account come from the alert, else from the alert's process (never the
-- machine's own sessions and accounts). Independent of the thresholds: made once for any number of
-- threshold points. The command lines are this pass's rows of context_day_events.sql (the windows'
-- pairs hold none).
--
-- hands_on: the alert's process (named by id) was run by hand in a person's logon session (its
-- account named and not the machine's, its session not a well-known one): a command a shell
-- (models/command-shells.ts) started, its session not a batch or service logon (a scheduled
-- task's, a service's: type 4 or 5 among the session's logons in the span) and its shell, when
-- recorded, not running a script file (a logon script's, a task's or an agent's .bat, .cmd or .ps1
-- runs its commands; a new script is an unusual line of the alert's tree itself). context_kept.sql
-- reports such an alert when its own process is unusual.
CREATE OR REPLACE TEMP TABLE context_alert_scope AS
WITH window_events AS NOT MATERIALIZED (SELECT * FROM context_window_keys),
alerts_in_scope AS (
  SELECT DISTINCT alert_id, ts, host, user_name, logon_id, process_id, command_line, process_event_id FROM context_alert_jobs
),
-- The alert's process: the process event it matched (context_alert_jobs.sql), else, of the processes
-- with the alert's process id (ids are reused), the one with the alert's command line, then the
-- latest started before the alert, then one started in the minute after it (alert times cut to the
-- second); ties by id.
pid_process AS (
  SELECT a.alert_id,
         arg_max(e.event_id, (coalesce(d.command_line = a.command_line, false), e.ts <= a.ts, CASE WHEN e.ts <= a.ts THEN e.ts ELSE a.ts - (e.ts - a.ts) END, e.event_id)) AS event_id
  FROM (SELECT * FROM alerts_in_scope WHERE process_id IS NOT NULL) a
  JOIN window_events e ON e.alert_id = a.alert_id AND e.process_id = a.process_id AND e.ts <= a.ts + INTERVAL 1 MINUTE
  JOIN (SELECT event_id, command_line FROM context_day_events WHERE pass = getvariable('ac_pass')) d USING (event_id)
  GROUP BY a.alert_id
),
alert_process AS (
  SELECT a.alert_id, coalesce(m.event_id, p.event_id) AS event_id
  FROM alerts_in_scope a
  LEFT JOIN window_events m ON m.alert_id = a.alert_id AND m.event_id = a.process_event_id
  LEFT JOIN pid_process p ON p.alert_id = a.alert_id
  WHERE coalesce(m.event_id, p.event_id) IS NOT NULL
),
alert_scope AS (
  SELECT a.alert_id,
         coalesce(a.logon_id, CASE WHEN NOT list_contains(getvariable('ac_well_known_logons'), ap.logon_id) THEN ap.logon_id END) AS session,
         coalesce(ac_account(a.user_name),
                  -- (nor the account of a machine's session, whatever its name: a localized NETWORK SERVICE)
                  CASE WHEN NOT ac_machine_account(ac_account(ap.user_name), getvariable('ac_well_known_accounts'))
                        AND NOT coalesce(list_contains(getvariable('ac_well_known_logons'), ap.logon_id), false) THEN ac_account(ap.user_name) END) AS account,
         ap.event_id AS process_event_id, a.ts AS alert_ts, a.command_line AS alert_command_line, a.host,
         -- the alert names a process (by id, or as the event it matched), found in its windows or not
         a.process_id IS NOT NULL OR a.process_event_id IS NOT NULL AS names_process, a.process_id AS alert_process_id,
         ap.logon_id AS process_logon_id, ap.ts AS process_ts
  FROM alerts_in_scope a
  LEFT JOIN (SELECT p.alert_id, p.event_id, e.logon_id, e.user_name, e.ts FROM alert_process p JOIN window_events e USING (alert_id, event_id)) ap USING (alert_id)
),
-- the alert's process started by a shell in a named, not the machine's, account and session, with
-- the shell's command line when the shell is recorded
shell_started AS (
  SELECT p.alert_id, e.logon_id, pd.command_line AS shell_line
  FROM alert_process p
  JOIN window_events e USING (alert_id, event_id)
  JOIN context_event_features f USING (event_id)
  LEFT JOIN (SELECT event_id, command_line FROM context_day_events WHERE pass = getvariable('ac_pass')) pd ON pd.event_id = f.parent_event_id
  WHERE list_contains(getvariable('ac_command_shells'), e.parent_name)
    AND ac_account(e.user_name) IS NOT NULL AND NOT ac_machine_account(ac_account(e.user_name), getvariable('ac_well_known_accounts'))
    AND NOT coalesce(list_contains(getvariable('ac_well_known_logons'), e.logon_id), false)
),
-- The session's logons, read once over the alert's windows: when it began if it is a network logon
-- (type 3, its first successful event), and who opened it from where (its clients: the account, the
-- address and the host name of each of its logon events).
session_logons AS (
  SELECT s.alert_id,
         min(l.ts) FILTER (WHERE l.logon_type = 3 AND l.outcome <> 'failure') AS session_logon_ts,
         bool_or(l.logon_type IN (4, 5)) AS session_unattended,
         list(DISTINCT {'account': ac_account(l.user_name), 'source_ip': l.source_ip, 'source_host': lower(l.source_host)}) AS session_clients
  FROM alert_scope s
  JOIN logon_events l ON l.host = s.host AND l.logon_id = s.session
  -- (within the alert's own windows, not the run's span: a later reconnect of the session, in
  -- another alert's window, is not this alert's client; the report is the same whatever period the
  -- run covers)
  JOIN (SELECT alert_id, min(win_start) AS lo, max(win_end) AS hi FROM context_alert_jobs GROUP BY alert_id) b
    ON b.alert_id = s.alert_id AND l.ts BETWEEN b.lo AND b.hi
  WHERE l.ts BETWEEN getvariable('ac_span_lo') AND getvariable('ac_span_hi')
  GROUP BY s.alert_id
)
-- alert_scoped: the alert names a session, account or process id. For such an alert the rest of the
-- host is capped and must be strongly unusual (context_candidates.sql, context_kept.sql), and a
-- report needs an unusual item tied to the alert (context_kept.sql): a network logon whose session
-- ran nothing does not open the whole host (a workstation's machine-account logon on a domain
-- controller was reported with the controller's hour of Azure agent runs and telemetry tasks).
-- Only an alert that names nothing but its host has the host's activity as all there is.
-- entry_seconds: the alert's process entered by remote execution, started in a person's network
-- logon session within ac_remote_exec_seconds of the logon (WinRM's plugin host, a COM server for
-- the caller, the remote shell's first command): how long after the logon (context_window_tree.sql
-- says so).
SELECT * EXCLUDE (shell_alert, shell_logon_id, shell_line, session_unattended),
       (shell_alert IS NOT NULL AND NOT coalesce(session_unattended AND shell_logon_id = session, false)
         AND NOT coalesce(regexp_matches(lower(shell_line), '\.(bat|cmd|ps1|psm1)\b'), false))
       -- or entered by remote execution
       OR entry_seconds IS NOT NULL AS hands_on
FROM (
  SELECT s.*, s.session IS NOT NULL OR s.account IS NOT NULL OR s.names_process AS alert_scoped,
         n.session_logon_ts, n.session_clients, n.session_unattended,
         h.alert_id AS shell_alert, h.logon_id AS shell_logon_id, h.shell_line,
         CASE WHEN getvariable('ac_remote_exec_seconds') > 0 AND s.process_logon_id = s.session AND s.account IS NOT NULL
                   AND NOT n.session_unattended
                   AND s.process_ts BETWEEN n.session_logon_ts - INTERVAL 1 SECOND AND n.session_logon_ts + to_seconds(getvariable('ac_remote_exec_seconds'))
              THEN round(greatest(0, epoch_ms(s.process_ts) - epoch_ms(n.session_logon_ts)) / 1000, 1) END AS entry_seconds
  FROM alert_scope s LEFT JOIN session_logons n USING (alert_id) LEFT JOIN shell_started h USING (alert_id)
);
