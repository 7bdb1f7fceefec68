-- layer: staging
-- parameters: ac_eval_alerts_file VARCHAR, ac_eval_labels_file VARCHAR
-- An evaluation set's labels into the canonical labels table, after eval_selector_events: the
-- alerts' labels (true alerts with their case's campaign), the events' labels (each event once,
-- with its selectors' campaign: label-set.ts refuses an event two campaigns claim).
INSERT INTO labels (kind, id, malicious, campaign_id, campaign_kind, source_file)
SELECT 'alert', alert_id, malicious, CASE WHEN malicious THEN campaign_id END, NULL, getvariable('ac_eval_alerts_file')
FROM eval_alert_input ORDER BY alert_id;

INSERT INTO labels (kind, id, malicious, campaign_id, campaign_kind, source_file)
SELECT 'event', e.event_id, true, min(s.campaign_id), NULL, getvariable('ac_eval_labels_file')
FROM eval_selector_events e JOIN eval_selectors s USING (selector_id)
GROUP BY e.event_id ORDER BY e.event_id;
