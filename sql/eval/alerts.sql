-- layer: staging
-- parameters: ac_eval_alerts_file VARCHAR
-- An evaluation set's alerts into the canonical alerts table, after eval_alert_anchors: a process
-- alert without a command line takes its event's.
INSERT INTO alerts (alert_id, ts, alert_name, severity, host, host_fqdn, user_name, logon_id, process_id, command_line, source, source_file)
SELECT a.alert_id, a.ts, a.alert_name, a.severity, a.host, a.host, a.user_name, a.logon_id, a.process_id,
       coalesce(a.command_line, n.command_line), 'eval', getvariable('ac_eval_alerts_file')
FROM eval_alert_input a LEFT JOIN eval_alert_anchors n USING (alert_id)
ORDER BY a.ts, a.alert_id;
