import { relative } from 'node:path';
import type { Database } from '../db.js';
import { runModel } from '../sql-model.js';
import { UserError } from '../errors.js';
import type { EvalSet } from './eval-set.js';

/** How many events a label selector matched. */
export interface SelectorCount { id: string; campaign_id: string; event_table: string; events: number }

export interface LabeledSet {
  selectors: SelectorCount[];
  /** The event each alert fired on. */
  anchors: { alert_id: string; event_id: string }[];
  labeledEvents: number;
}

const SELECTOR_SHAPE = JSON.stringify([{
  selector_id: 'VARCHAR', campaign_id: 'VARCHAR', event_table: 'VARCHAR', hosts: ['VARCHAR'], ts_from: 'TIMESTAMP', ts_to: 'TIMESTAMP',
  process_names: ['VARCHAR'], parent_names: ['VARCHAR'], command_line_regex: 'VARCHAR', users: ['VARCHAR'], logon_ids: ['VARCHAR'],
  process_id: 'BIGINT', parent_process_id: 'BIGINT', logon_types: ['INTEGER'], outcomes: ['VARCHAR'], source_ips: ['VARCHAR'], descendants: 'BOOLEAN',
}]);

const ALERT_SHAPE = JSON.stringify([{
  alert_id: 'VARCHAR', case_id: 'VARCHAR', campaign_id: 'VARCHAR', malicious: 'BOOLEAN', ts: 'TIMESTAMP', alert_name: 'VARCHAR', severity: 'VARCHAR',
  host: 'VARCHAR', user_name: 'VARCHAR', logon_id: 'VARCHAR', process_id: 'BIGINT', command_line: 'VARCHAR',
}]);

const lower = (xs?: string[]) => (xs ? xs.map((x) => x.toLowerCase()) : null);
/** UTC text without the zone: DuckDB's TIMESTAMP is UTC here. */
const utc = (t: string) => new Date(t).toISOString().replace('T', ' ').replace('Z', '');

/**
 * Turn an evaluation set's selectors and alerts into rows (after its captures are loaded): the
 * selectors' events become `labels` (kind 'event'), the alerts go to `alerts` with their labels
 * (kind 'alert'). Refuses a selector that matches nothing, an alert with no event to fire on, and an
 * event two campaigns claim.
 */
export async function labelSet(db: Database, set: EvalSet): Promise<LabeledSet> {
  const where = (f: string) => relative(process.cwd(), f) || f;
  await db.run(`CREATE OR REPLACE TEMP TABLE eval_selectors AS SELECT * FROM (SELECT unnest(from_json($1, '${SELECTOR_SHAPE}'), recursive := true))`, [
    JSON.stringify(set.selectors.map((s) => ({
      selector_id: s.id, campaign_id: s.campaign_id, event_table: s.table, hosts: lower(s.hosts), ts_from: utc(s.from), ts_to: utc(s.to),
      process_names: lower(s.process_names), parent_names: lower(s.parent_names), command_line_regex: s.command_line_regex ?? null,
      users: lower(s.users), logon_ids: lower(s.logon_ids), process_id: s.process_id ?? null, parent_process_id: s.parent_process_id ?? null,
      logon_types: s.logon_types ?? null, outcomes: s.outcomes ?? null, source_ips: s.source_ips ?? null, descendants: s.descendants ?? false,
    }))),
  ]);
  await runModel(db, 'eval/eval_selector_events.sql', {});
  const campaigns = new Map(set.cases.map((c) => [c.case_id, c.campaign_id]));
  await db.run(`CREATE OR REPLACE TEMP TABLE eval_alert_input AS SELECT * FROM (SELECT unnest(from_json($1, '${ALERT_SHAPE}'), recursive := true))`, [
    JSON.stringify(set.alerts.map((a) => ({
      alert_id: a.alert_id, case_id: a.case_id, campaign_id: campaigns.get(a.case_id), malicious: a.malicious, ts: utc(a.ts),
      alert_name: a.alert_name, severity: a.severity, host: a.host.toLowerCase(), user_name: a.user_name ?? null,
      logon_id: a.logon_id?.toLowerCase() ?? null, process_id: a.process_id ?? null, command_line: a.command_line ?? null,
    }))),
  ]);
  await runModel(db, 'eval/eval_alert_anchors.sql', {});

  const order = new Map(set.selectors.map((s, i) => [s.id, i]));
  const selectors = (await db.all<SelectorCount>(
    `SELECT s.selector_id AS id, s.campaign_id, s.event_table, count(e.event_id) AS events
     FROM eval_selectors s LEFT JOIN eval_selector_events e USING (selector_id) GROUP BY ALL`,
  )).sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  const empty = selectors.filter((s) => s.events === 0).map((s) => s.id);
  if (empty.length) throw new UserError(`${where(set.dir)}/labels.json: selector(s) matching no event: ${empty.join(', ')}`);
  const unanchored = await db.all<{ alert_id: string }>('SELECT alert_id FROM eval_alert_input ANTI JOIN eval_alert_anchors USING (alert_id) ORDER BY alert_id');
  if (unanchored.length) throw new UserError(`${where(set.dir)}/alerts.json: alert(s) with no event to fire on (host, process id, logon id, command line in the 10 minutes before): ${unanchored.map((a) => a.alert_id).join(', ')}`);
  const contested = await db.all<{ event_id: string; campaigns: string[] }>(
    `SELECT e.event_id, list(DISTINCT s.campaign_id ORDER BY s.campaign_id) AS campaigns FROM eval_selector_events e JOIN eval_selectors s USING (selector_id)
     GROUP BY 1 HAVING count(DISTINCT s.campaign_id) > 1 ORDER BY 1`,
  );
  if (contested.length) throw new UserError(`${where(set.dir)}/labels.json: event(s) claimed by two campaigns: ${contested.slice(0, 3).map((c) => `${c.event_id} (${c.campaigns.join(', ')})`).join('; ')}`);

  const files = { ac_eval_alerts_file: where(`${set.dir}/alerts.json`), ac_eval_labels_file: where(`${set.dir}/labels.json`) };
  await db.transaction(async () => {
    await runModel(db, 'eval/alerts.sql', { ac_eval_alerts_file: files.ac_eval_alerts_file });
    await runModel(db, 'eval/labels.sql', files);
  });
  const anchors = await db.all<{ alert_id: string; event_id: string }>('SELECT alert_id, event_id FROM eval_alert_anchors ORDER BY alert_id');
  const { n } = await db.one<{ n: number }>(`SELECT count(*) AS n FROM labels WHERE kind = 'event'`);
  return { selectors, anchors, labeledEvents: n };
}
