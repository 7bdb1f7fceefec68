import type { Database } from '../db.js';

/** One report as users and SIEMs see it (docs/spec.md section 2; docs/report-format.md). */
export interface ReportRecord {
  report_id: string; alert_id: string; alert_name: string; alert_time: string; host: string; title: string;
  description: string; jobs: string[]; truncated: boolean; context_event_activity: string; score: number;
  start_time: string; end_time: string; accounts: string[];
  items: { time: string; category: string; host: string; subject: string | null; command_line: string | null; repeat_times: string[];
           repeat_count: number; score: number; reason: string; event_ids: string[]; more_like_this: number; line: string }[];
}

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));

/** The reports of a run with their items, ordered by alert time (built set-based in SQL). */
export async function readReports(db: Database, runId: number, alertId?: string): Promise<ReportRecord[]> {
  const rows = await db.all<Record<string, unknown>>(
    `SELECT r.*, (SELECT list({'time': i.time, 'category': i.category, 'host': coalesce(i.host, r.host), 'subject': i.subject, 'command_line': i.command_line,
                                'repeat_times': i.repeat_times, 'repeat_count': i.repeat_count, 'score': i.score,
                                'reason': i.reason, 'event_ids': i.event_ids, 'more_like_this': coalesce(i.more_like_this, 0), 'line': i.line} ORDER BY i.item_no)
                  FROM context_report_items i WHERE i.run_id = r.run_id AND i.report_id = r.report_id) AS item_list
     FROM context_reports r WHERE r.run_id = $1 AND ($2::VARCHAR IS NULL OR r.alert_id = $2)
     ORDER BY r.alert_time, r.alert_id`,
    [runId, alertId ?? null],
  );
  return rows.map((r) => ({
    report_id: String(r['report_id']), alert_id: String(r['alert_id']), alert_name: String(r['alert_name']),
    alert_time: iso(r['alert_time']), host: String(r['host']), title: String(r['title']), description: String(r['description']),
    jobs: r['jobs'] as string[], truncated: Boolean(r['truncated']), context_event_activity: String(r['context_event_activity']),
    score: Number(r['score']), start_time: iso(r['start_time']), end_time: iso(r['end_time']), accounts: r['accounts'] as string[],
    items: ((r['item_list'] as Record<string, unknown>[]) ?? []).map((i) => ({
      time: iso(i['time']), category: String(i['category']), host: String(i['host']), subject: (i['subject'] as string | null) ?? null,
      command_line: (i['command_line'] as string | null) ?? null, repeat_times: ((i['repeat_times'] as unknown[]) ?? []).map(iso),
      repeat_count: Number(i['repeat_count']), score: Number(i['score']), reason: String(i['reason']),
      event_ids: i['event_ids'] as string[], more_like_this: Number(i['more_like_this']), line: String(i['line']),
    })),
  }));
}
