import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Thresholds } from '../../models/thresholds.js';
import type { Database } from '../db.js';
import { weeklyCharts } from './weekly-charts.js';
import { weeklyData } from './weekly-data.js';
import type { WeeklyData } from './weekly-data.js';
import { weeklyHtml, weeklyMarkdown } from './weekly-render.js';

export interface WeeklyResult { data: WeeklyData; files: { html: string; markdown: string; json: string } }

/** The weekly coverage report: OUT/weekly-<week>.html (self-contained, inline SVG charts), .md and .json. */
export async function writeWeekly(db: Database, opts: { week: string; trendWeeks: number; runId?: number; t: Thresholds; out: string }): Promise<WeeklyResult> {
  const data = await weeklyData(db, opts);
  const charts = await weeklyCharts(data);
  mkdirSync(opts.out, { recursive: true });
  const files = {
    html: join(opts.out, `weekly-${data.week}.html`),
    markdown: join(opts.out, `weekly-${data.week}.md`),
    json: join(opts.out, `weekly-${data.week}.json`),
  };
  writeFileSync(files.html, weeklyHtml(data, charts));
  writeFileSync(files.markdown, weeklyMarkdown(data));
  writeFileSync(files.json, `${JSON.stringify(data, null, 2)}\n`);
  return { data, files };
}
