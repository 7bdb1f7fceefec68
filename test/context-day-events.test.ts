/**
 * The events context reads (sql/context/context_day_events.sql): each process event of the alerts'
 * windows once, however many windows hold it (overlapping, nested or touching windows of one host
 * are merged), none outside them, none of another host, each with its host's pass.
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
    // d [13:00, 13:05] (apart); on h2: e [10:00, 10:10].
    await db.exec(`CREATE TEMP TABLE context_alert_windows (alert_id VARCHAR, host VARCHAR, win_start TIMESTAMP, win_end TIMESTAMP, pass INTEGER)`);
    const windows: [string, string, string, string][] = [
      ['a', 'h1', '10:00', '11:10'], ['b', 'h1', '11:10', '12:20'], ['c', 'h1', '10:30', '10:40'], ['d', 'h1', '13:00', '13:05'], ['e', 'h2', '10:00', '10:10'],
    ];
    for (const [id, host, from, to] of windows) {
      await db.run('INSERT INTO context_alert_windows VALUES ($1, $2, $3::TIMESTAMP, $4::TIMESTAMP, 0)', [id, host, ts(from), ts(to)]);
    }
    // Events: in a and c (10:35), on a and b's shared edge (11:10), in b (12:00), between b and d
    // (12:30), in d (13:05, its end), on h2 inside e (10:05) and outside it (10:30).
    const events: [string, string, string][] = [
      ['p1', 'h1', '10:35'], ['p2', 'h1', '11:10'], ['p3', 'h1', '12:00'], ['p4', 'h1', '12:30'], ['p5', 'h1', '13:05'], ['p6', 'h2', '10:05'], ['p7', 'h2', '10:30'],
    ];
    for (const [id, host, at] of events) {
      await db.run(`INSERT INTO process_events BY NAME SELECT $1 AS event_id, $2::TIMESTAMP AS ts, $3 AS host, 'test' AS source,
        'C:\\Windows\\cmd.exe' AS image, 'cmd.exe' AS process_name, 'cmd /c ' || $1 AS command_line`, [id, ts(at), host]);
    }
    await runModel(db, 'context/context_day_events.sql', { ac_span_lo: ts('09:00'), ac_span_hi: ts('14:00'), ac_passes: 1 });
  });
  afterAll(() => db.close());

  it('holds each event of a window once, merged windows included, and nothing outside them', async () => {
    const rows = await db.all<{ event_id: string; pass: number }>('SELECT event_id, pass FROM context_day_events ORDER BY event_id');
    expect(rows.map((r) => r.event_id)).toEqual(['p1', 'p2', 'p3', 'p5', 'p6']);
    expect(rows.every((r) => Number(r.pass) === 0)).toBe(true);
  });
});
