import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../models/thresholds.js';
import { buildBaselines, makePeriodTemplates, scoreDays } from '../pipeline/baseline/build-baselines.js';
import { runModel } from '../pipeline/sql-model.js';
import { memoryDb } from './helpers.js';

const DAY = '2026-11-01';

/**
 * The aggregates and the scores find each line's template by the line's 64-bit hash
 * (aggregates/period_templates.sql). Two different lines with one hash must still get their own
 * templates: a pair that shares a hash is forced here with a weaker hash (a real pair is about one day in 500,000).
 */
describe('templates joined on the line hash', () => {
  it('keeps two lines that share a hash apart in the template counts and the scores', async () => {
    const db = await memoryDb();
    // [command line, image, events]: an event without a command line is templated by its image,
    // one with neither by ''.
    const lines = [
      ['cmd.exe /c whoami', 'C:\\Windows\\System32\\cmd.exe', 3],
      ['C:\\Temp\\x.exe -k 123456789', 'C:\\Temp\\x.exe', 2],
      ['net user abai$ /add', 'C:\\Windows\\System32\\net.exe', 1],
      [null, 'C:\\Windows\\a.exe', 2],
      [null, null, 1],
    ] as const;
    let i = 0;
    for (const [line, image, n] of lines) {
      for (let k = 0; k < n; k++) {
        i++;
        await db.run(
          `INSERT INTO process_events (event_id, ts, host, image, process_name, command_line, source)
           VALUES ($1, $2::TIMESTAMP, $3, $4, 'x.exe', $5, 'test')`,
          [`e${i}`, `${DAY} 10:00:${String(i).padStart(2, '0')}`, `host${k % 2}`, image, line],
        );
      }
    }
    await makePeriodTemplates(db, DAY, DAY);
    const plain = await db.one<{ checked: number; lines: number }>('SELECT count(line_check) AS checked, count(*) AS lines FROM period_templates');
    expect(plain).toEqual({ checked: 0, lines: 5 });

    // A weak line hash that the lines beginning with 'c' share (three of them); the others keep their own.
    await db.exec("CREATE OR REPLACE TEMP MACRO ac_line_hash(line) AS hash(lower(left(line, 1)))");
    await makePeriodTemplates(db, DAY, DAY);
    const checked = await db.all<{ command_line: string }>('SELECT command_line FROM period_templates WHERE line_check = command_line ORDER BY command_line');
    expect(checked.map((r) => r.command_line)).toEqual([lines[1][0], lines[3][1], lines[0][0]]);

    await runModel(db, 'aggregates/agg_template_daily.sql', { ac_from: DAY, ac_to: DAY });
    const counts = await db.all<{ template: string; n: number }>('SELECT template, sum(events)::INTEGER AS n FROM agg_template_daily GROUP BY template ORDER BY template');
    const expected = await db.all<{ template: string; n: number }>(
      'SELECT ac_template(ac_line(command_line, image)) AS template, count(*)::INTEGER AS n FROM process_events GROUP BY ALL ORDER BY template');
    expect(counts).toEqual(expected);
    expect(counts).toHaveLength(5);

    await buildBaselines(db, DAY, DAY, DEFAULT_THRESHOLDS);
    expect(await scoreDays(db, DAY, DAY, DEFAULT_THRESHOLDS)).toBe(i);
    const wrong = await db.one<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM process_rarity r JOIN process_events e USING (event_id) WHERE r.template IS DISTINCT FROM ac_template(ac_line(e.command_line, e.image))`);
    expect(wrong.n).toBe(0);
    db.close();
  });
});
