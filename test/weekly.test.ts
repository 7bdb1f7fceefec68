import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../models/thresholds.js';
import type { Database } from '../pipeline/db.js';
import type { WeeklyResult } from '../pipeline/weekly/write-weekly.js';
import { writeWeekly } from '../pipeline/weekly/write-weekly.js';
import { cell } from '../pipeline/metrics/format-metrics.js';
import { HOSTILE_COMMAND, buildLabeledRun } from './fixtures/labeled-run.js';
import { memoryDb, tempDir } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';

describe('weekly coverage report', () => {
  let db: Database;
  let r: WeeklyResult;
  let browser: Browser;
  beforeAll(async () => {
    db = await memoryDb();
    await buildLabeledRun(db);
    r = await writeWeekly(db, { week: '2026-W45', trendWeeks: 3, t: DEFAULT_THRESHOLDS, out: tempDir() });
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: \`make test\` installs Debian's chromium package`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('JSON holds the week\'s figures, the trend and the week\'s reports', () => {
    const d = JSON.parse(readFileSync(r.files.json, 'utf8')) as WeeklyResult['data'];
    expect(d.from).toBe('2026-11-02');
    expect(d.to).toBe('2026-11-08');
    expect(d.weeks).toEqual(['2026-W43', '2026-W44', '2026-W45']);
    const fig = (group_by: string, v: string, metric: string) => d.figures.find((x) => x.group_by === group_by && x.group_value === v && x.metric === metric);
    // W45 holds a1, a2 (true, both reported) and a3 (benign, reported); a4 is in W46.
    expect([fig('overall', '', 'coverage')!.k, fig('overall', '', 'coverage')!.n]).toEqual([3, 3]);
    expect([fig('overall', '', 'benign_report_rate')!.k, fig('overall', '', 'benign_report_rate')!.n]).toEqual([1, 1]);
    expect([fig('alert_name', 'Office macro', 'coverage')!.k, fig('alert_name', 'Office macro', 'coverage')!.n]).toEqual([1, 1]);
    expect(d.trend.filter((t) => t.metric === 'coverage').map((t) => [t.group_value, t.k, t.n])).toEqual([['2026-W45', 3, 3]]);
    expect(d.items_histogram).toEqual([{ items: 1, reports: 1 }, { items: 2, reports: 1 }, { items: 3, reports: 1 }]);
    expect(d.top_reports.map((x) => x.alert_id)).toEqual(['a1', 'a2', 'a3']);
  });

  it('renders in headless Chromium: the charts draw, the page shows the JSON\'s numbers, hostile command lines stay text', async () => {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', async (dlg) => {
      dialogs.push(dlg.message());
      await dlg.dismiss();
    });
    const requests: string[] = [];
    page.on('request', (req) => requests.push(req.url()));
    await page.goto(pathToFileURL(r.files.html).href);
    // Four charts (labels exist: precision per job too), each an SVG with drawn marks and a size.
    const charts = await page.$$eval('figure[data-chart] > svg', (svgs) => svgs.map((s) => ({ w: s.getBoundingClientRect().width, marks: s.querySelectorAll('path, rect, line, text').length })));
    expect(charts).toHaveLength(4);
    for (const c of charts) {
      expect(c.w).toBeGreaterThan(100);
      expect(c.marks).toBeGreaterThan(5);
    }
    const text = await page.innerText('body');
    for (const f of r.data.figures.filter((x) => x.group_by === 'overall' || x.group_by === 'alert_name')) {
      expect(text, `${f.group_by} ${f.group_value} ${f.metric}`).toContain(cell(f));
    }
    expect(text).toContain('Credential dumping');
    // The command line is shown as it is, as text: no element, no script, no dialog, nothing fetched.
    expect(text).toContain(HOSTILE_COMMAND);
    expect(await page.$$eval('img', (els) => els.length)).toBe(0);
    expect(await page.$$eval('script', (els) => els.length)).toBe(0);
    await page.waitForTimeout(200);
    expect(dialogs).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    await page.close();
  });

  it('Markdown has the same numbers, the command line inside a code fence', () => {
    const md = readFileSync(r.files.markdown, 'utf8');
    expect(md).toContain('| coverage | 1\\.00 \\[0\\.44\\-1\\.00\\] 3/3 |');
    expect(md).toContain(`\`\`\`text\nRelated alert\n09:50:00Z ${HOSTILE_COMMAND}\n\`\`\``);
  });
});
