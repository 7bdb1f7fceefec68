/**
 * The events context reads (sql/context/context_day_events.sql): each process event of the alerts'
 * windows once, however many windows hold it (overlapping, nested, touching, identical, zero-length
 * windows of one host, windows of equal start), none outside them, none of another host's windows,
 * each with its host's pass.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../pipeline/db.js';
import { runModel } from '../pipeline/sql-model.js';
import { memoryDb } from './helpers.js';

const DAY = '2026-03-02';
const ts = (hm: string) => `${DAY} ${hm}:00`;

describe('the events of the alerts\' windows', () => {
  let db: Database;
  beforeAll(async () => {
    db = await memoryDb();
    // Windows on h1: a [10:00, 11:10], b [11:10, 12:20] (touching a), c [10:30, 10:40] (inside a),
    // d [13:00, 13:05] (apart) and d2, d3 the same as d (alerts of one second), z [13:30, 13:30]
    // (zero length) and z2 [13:30, 13:40] (the same start); on h2: e and e2 [10:00, 10:10] (the same
    // window as a host's first), f [10:20, 10:25] after a gap.
    await db.exec(`CREATE TEMP TABLE context_alert_windows (alert_id VARCHAR, host VARCHAR, win_start TIMESTAMP, win_end TIMESTAMP, pass INTEGER)`);
    const windows: [string, string, string, string][] = [
      ['a', 'h1', '10:00', '11:10'], ['b', 'h1', '11:10', '12:20'], ['c', 'h1', '10:30', '10:40'], ['d', 'h1', '13:00', '13:05'],
      ['d2', 'h1', '13:00', '13:05'], ['d3', 'h1', '13:00', '13:05'], ['z', 'h1', '13:30', '13:30'], ['z2', 'h1', '13:30', '13:40'],
      ['e', 'h2', '10:00', '10:10'], ['e2', 'h2', '10:00', '10:10'], ['f', 'h2', '10:20', '10:25'],
    ];
    for (const [id, host, from, to] of windows) {
      await db.run('INSERT INTO context_alert_windows VALUES ($1, $2, $3::TIMESTAMP, $4::TIMESTAMP, 0)', [id, host, ts(from), ts(to)]);
    }
    // Events: in a and c (10:35), on a and b's shared edge (11:10), in b (12:00), between b and d
    // (12:30), in d and its twins (13:05, their end), between d and z (13:20), in z and z2 (13:30),
    // in z2 (13:35); on h2 inside e (10:05), in the gap (10:15), in f (10:20) and after it (10:30).
    const events: [string, string, string][] = [
      ['p1', 'h1', '10:35'], ['p2', 'h1', '11:10'], ['p3', 'h1', '12:00'], ['p4', 'h1', '12:30'], ['p5', 'h1', '13:05'], ['p6', 'h1', '13:20'],
      ['p7', 'h1', '13:30'], ['p8', 'h1', '13:35'], ['q1', 'h2', '10:05'], ['q2', 'h2', '10:15'], ['q3', 'h2', '10:20'], ['q4', 'h2', '10:30'],
    ];
    for (const [id, host, at] of events) {
      await db.run(`INSERT INTO process_events BY NAME SELECT $1 AS event_id, $2::TIMESTAMP AS ts, $3 AS host, 'test' AS source,
        'C:\\Windows\\cmd.exe' AS image, 'cmd.exe' AS process_name, 'cmd /c ' || $1 AS command_line`, [id, ts(at), host]);
    }
    await runModel(db, 'context/context_day_events.sql', { ac_span_lo: ts('09:00'), ac_span_hi: ts('14:00'), ac_passes: 1 });
  });
  afterAll(() => db.close());

  it('holds each event of the windows once, and nothing outside them', async () => {
    const rows = await db.all<{ event_id: string; pass: number }>('SELECT event_id, pass FROM context_day_events ORDER BY event_id');
    expect(rows.map((r) => r.event_id)).toEqual(['p1', 'p2', 'p3', 'p5', 'p7', 'p8', 'q1', 'q3']);
    expect(rows.every((r) => Number(r.pass) === 0)).toBe(true);
  });

  it('reads the events of many identical windows once', async () => {
    // (alerts of one second share a window: 5,000 windows holding the same 11 events give 11 rows;
    // a merge of the windows by their sorted bounds, tried in session 11, read them twice when ties
    // were ordered differently in its two window functions)
    await db.exec(`INSERT INTO context_alert_windows SELECT 'x' || i, 'h3', TIMESTAMP '${DAY} 09:00:00', TIMESTAMP '${DAY} 09:10:00', 0 FROM range(5000) t(i)`);
    await db.run(`INSERT INTO process_events BY NAME SELECT 'r' || i AS event_id, TIMESTAMP '${DAY} 09:00:00' + i * INTERVAL 1 MINUTE AS ts, 'h3' AS host,
      'test' AS source, 'C:\\Windows\\cmd.exe' AS image, 'cmd.exe' AS process_name, 'cmd' AS command_line FROM range(11) t(i)`);
    await runModel(db, 'context/context_day_events.sql', { ac_span_lo: ts('08:00'), ac_span_hi: ts('14:00'), ac_passes: 1 });
    const { n, d } = await db.one<{ n: number; d: number }>(`SELECT count(*) AS n, count(DISTINCT event_id) AS d FROM context_day_events WHERE host = 'h3'`);
    expect([Number(n), Number(d)]).toEqual([11, 11]);
  });
});
