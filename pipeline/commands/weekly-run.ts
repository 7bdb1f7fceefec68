import type { ArgumentsCamelCase } from 'yargs';
import type { GlobalOptions } from '../cli-options.js';
import { loadThresholds } from '../config.js';
import { isoWeekOf, isoWeekRange } from '../dates.js';
import { withDatabase } from '../db.js';
import { OptionError } from '../errors.js';
import { weeklyTables } from '../weekly/weekly-render.js';
import { writeWeekly } from '../weekly/write-weekly.js';
import { visibleLines } from '../escape.js';

export interface WeeklyArgs extends GlobalOptions {
  week?: string;
  weeks: number;
  run?: number;
  out: string;
  config?: string;
}

export async function run(args: ArgumentsCamelCase<WeeklyArgs>): Promise<void> {
  if (!Number.isInteger(args.weeks) || args.weeks < 1 || args.weeks > 104) throw new OptionError('--weeks', `must be a whole number from 1 to 104, got ${args.weeks}`);
  const week = args.week ?? isoWeekOf(new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10));
  isoWeekRange(week);
  const t = loadThresholds(args.config);
  await withDatabase(args.db, async (db) => {
    const r = await writeWeekly(db, { week, trendWeeks: args.weeks, ...(args.run !== undefined ? { runId: args.run } : {}), t, out: args.out });
    if (args.json) {
      console.log(JSON.stringify({ files: r.files, ...r.data }, null, 2));
      return;
    }
    const overall = weeklyTables(r.data)[0]!;
    console.log(visibleLines([
      `weekly report ${r.data.week} (${r.data.from}..${r.data.to}):`,
      ...overall.rows.map(([k, v]) => `  ${k!.padEnd(20)} ${v}`),
      `written: ${r.files.html}`, `         ${r.files.markdown}`, `         ${r.files.json}`,
    ].join('\n')));
  }, 'existing');
}
