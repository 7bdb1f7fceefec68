-- layer: staging
-- parameters: none
-- The Sigma matches of a detect run as alerts, one per rule and matched event (sigma_hits, written
-- by the run's rule statements; sigma_rules, the run's rules): the alert id is a hash of the two,
-- so a rerun finds the same alerts; storeSigmaAlerts adds those not stored yet.
CREATE OR REPLACE TEMP TABLE sigma_alerts AS
SELECT 'sigma-' || substr(md5(r.rule_id || '|' || h.event_id), 1, 24) AS alert_id, h.ts, r.title AS alert_name,
       r.level AS severity, h.host, h.host_fqdn, h.user_name, h.logon_id, h.process_id, h.command_line,
       'sigma' AS source, NULL::BIGINT AS load_id, r.file AS source_file, NULL::BIGINT AS source_line,
       r.rule_id, r.author AS rule_author, r.tags AS rule_tags, r.reference AS rule_reference, h.event_id AS matched_event_id
FROM sigma_hits h JOIN sigma_rules r USING (rule_idx)
ORDER BY h.ts, alert_id;
