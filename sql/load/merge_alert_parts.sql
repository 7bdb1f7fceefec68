-- layer: staging
-- parameters: ac_alert_part_sources VARCHAR[], ac_alert_part_missing MAP(VARCHAR, VARCHAR)
-- Parts of one alert (Defender XDR: an AlertInfo row and its AlertEvidence rows, any files of the
-- load, in any order) become one staged alert: each column the first present part's, by the
-- mapping's preference (AlertInfo first), then file and line; the process id and command line come
-- together from one part. The kept part is checked for the required columns (getvariable
-- ac_alert_part_missing: column -> reason); the other parts are duplicates of it.
-- Parts already rejected (a bad time) take no part.
CREATE OR REPLACE TEMP TABLE alert_parts AS
  SELECT rowid AS rid, * FROM stage_alerts
  WHERE reject_reason IS NULL AND list_contains(getvariable('ac_alert_part_sources'), source);

CREATE OR REPLACE TEMP TABLE alert_parts_merged AS
  WITH ordered AS (
    SELECT *, row_number() OVER (PARTITION BY alert_id ORDER BY preference DESC, file_idx, source_line) AS part_rank
    FROM alert_parts
  )
  SELECT alert_id,
         min_by(rid, part_rank) AS keep_rid,
         min_by(ts, part_rank) FILTER (WHERE ts IS NOT NULL) AS ts,
         min_by(alert_name, part_rank) FILTER (WHERE alert_name IS NOT NULL) AS alert_name,
         min_by(severity, part_rank) FILTER (WHERE severity IS NOT NULL) AS severity,
         min_by(host, part_rank) FILTER (WHERE host IS NOT NULL) AS host,
         min_by(host_fqdn, part_rank) FILTER (WHERE host IS NOT NULL) AS host_fqdn,
         min_by(user_name, part_rank) FILTER (WHERE user_name IS NOT NULL) AS user_name,
         min_by(logon_id, part_rank) FILTER (WHERE logon_id IS NOT NULL) AS logon_id,
         min_by({'pid': process_id, 'cmd': command_line}, part_rank)
           FILTER (WHERE process_id IS NOT NULL OR command_line IS NOT NULL) AS process
  FROM ordered
  GROUP BY alert_id;

UPDATE stage_alerts SET
  ts = m.ts, alert_name = m.alert_name, severity = m.severity, host = m.host, host_fqdn = m.host_fqdn,
  user_name = m.user_name, logon_id = m.logon_id, process_id = m.process.pid, command_line = m.process.cmd,
  reject_reason = CASE WHEN m.ts IS NULL THEN getvariable('ac_alert_part_missing')['ts']
                       WHEN m.host IS NULL THEN getvariable('ac_alert_part_missing')['host']
                       WHEN m.alert_name IS NULL THEN getvariable('ac_alert_part_missing')['alert_name'] END
FROM alert_parts_merged m
WHERE stage_alerts.rowid = m.keep_rid;

UPDATE stage_alerts SET status = 'duplicate'
WHERE rowid IN (SELECT rid FROM alert_parts) AND rowid NOT IN (SELECT keep_rid FROM alert_parts_merged);
