import type { ReportRecord } from './read-reports.js';

/** A report in the shape of the SecurityAlert table (Microsoft Sentinel, Defender for Cloud). */
export function toSecurityAlert(r: ReportRecord): Record<string, unknown> {
  const severity = r.score >= 0.8 ? 'High' : r.score >= 0.5 ? 'Medium' : 'Low';
  // the alert's host, then the other hosts whose lines the report ties to it, in order of appearance
  const hosts = [...new Set([r.host, ...r.items.map((i) => i.host)])];
  const entities = [
    ...hosts.map((h) => ({ Type: 'host', HostName: h })),
    ...r.accounts.map((a) => ({ Type: 'account', Name: a })),
    ...r.items.filter((i) => i.command_line).map((i) => ({ Type: 'process', CommandLine: i.command_line })),
  ];
  return {
    AlertName: r.title, AlertSeverity: severity, Description: r.description, CompromisedEntity: r.host,
    StartTime: r.start_time, EndTime: r.end_time, SystemAlertId: r.report_id, ProviderName: 'alert-context', ProductName: 'alert-context',
    ExtendedProperties: JSON.stringify({
      CONTEXTEVENTACTIVITY: r.context_event_activity, 'Related alert id': r.alert_id, 'Related alert name': r.alert_name,
      'Related alert time': r.alert_time, Jobs: r.jobs.join(', '),
    }),
    Entities: JSON.stringify(entities),
  };
}
