-- parameters: ac_eval_alerts_file VARCHAR, ac_eval_labels_file VARCHAR
-- An evaluation set's alerts and labels into the canonical tables, after eval_alert_anchors and
-- eval_selector_events: the alerts (a process alert without a command line takes its event's),
-- the alerts' labels (true alerts with their case's campaign), the events' labels (each event
-- once, with its selectors' campaign: label-set.ts refuses an event two campaigns claim).
INSERT INTO alerts (alert_id, ts, alert_name, severity, host, host_fqdn, user_name, logon_id, process_id, command_line, source, source_file)
SELECT a.alert_id, a.ts, a.alert_name, a.severity, a.host, a.host, a.user_name, a.logon_id, a.process_id,
       coalesce(a.command_line, n.command_line), 'eval', getvariable('ac_eval_alerts_file')
FROM eval_alert_input a LEFT JOIN eval_alert_anchors n USING (alert_id)
ORDER BY a.ts, a.alert_id;

INSERT INTO labels (kind, id, malicious, campaign_id, campaign_kind, source_file)
SELECT 'alert', alert_id, malicious, CASE WHEN malicious THEN campaign_id END, NULL, getvariable('ac_eval_alerts_file')
FROM eval_alert_input ORDER BY alert_id;

INSERT INTO labels (kind, id, malicious, campaign_id, campaign_kind, source_file)
SELECT 'event', e.event_id, true, min(s.campaign_id), NULL, getvariable('ac_eval_labels_file')
FROM eval_selector_events e JOIN eval_selectors s USING (selector_id)
GROUP BY e.event_id ORDER BY e.event_id;
