-- layer: intermediate
-- parameters: ac_span_lo TIMESTAMP, ac_span_hi TIMESTAMP, ac_passes INTEGER, ac_well_known_accounts VARCHAR[]
-- A person's network logons (type 3, successful) to the alerts' hosts over the windows' span, read
-- once for all of context's passes (context_session_entries.sql: the logons that may have entered a
-- session), each with the pass of its host (ac_host_pass, as context_alert_windows.sql), stored in
-- pass order. Machine accounts (WORKSTATION5$) and the anonymous and built-in service accounts
-- authenticate all day long, and a start that coincides with one says nothing; nor does a logon from
-- the host itself (\\localhost, a local SQL login: the process may have made it). Read per pass, the
-- span's logons took 0.6 s of each of the 10,000-host day's 18 passes. With the half hour before and
-- after the span: the models count the logons of the hour around a time of an alert's windows
-- (ac_logons_by_chance), and an alert's report is the same whatever period the run covers.
CREATE OR REPLACE TEMP TABLE context_span_logons AS
SELECT ac_host_pass(host, getvariable('ac_passes')) AS pass, *
FROM (SELECT host, logon_id, ts, ac_account(user_name) AS account, source_ip, lower(source_host) AS source_host,
             format(' of {}{}', user_name, coalesce(' from ' || coalesce(source_ip, source_host), '')) AS who
      FROM logon_events
      WHERE logon_type = 3 AND outcome <> 'failure' AND ts BETWEEN getvariable('ac_span_lo') - INTERVAL 30 MINUTE AND getvariable('ac_span_hi') + INTERVAL 30 MINUTE
        AND host IN (SELECT DISTINCT host FROM context_alert_windows)
        AND coalesce(source_ip NOT IN ('127.0.0.1', '::1'), true) AND coalesce(ac_host_key(source_host) <> host, true))
WHERE account IS NOT NULL AND NOT ac_machine_account(account, getvariable('ac_well_known_accounts'))
ORDER BY pass;
