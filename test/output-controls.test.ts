import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listValue } from '@duckdb/node-api';
import { Database } from '../pipeline/db.js';
import { escapeHtml, escapeHtmlLines, escapeMarkdown, fenced, visible } from '../pipeline/escape.js';
import { runCli as run, tempDir } from './helpers.js';
import { FORGED_LINE, HOSTILE_SUFFIX, RAW_CONTROL, hostileFleet } from './hostile-fleet.js';

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));

describe('control characters from telemetry', () => {
  let dbPath: string;
  let days: string[];
  beforeAll(async () => {
    ({ dbPath, days } = await hostileFleet());
  });

  it('escaping renders C0/C1 controls and bidi overrides visibly', () => {
    expect(visible('a\u001b[2Jb\u0007\u009b\u202e\n')).toBe('a\\x1b[2Jb\\x07\\x9b\\u202e\\x0a');
    // invisible characters too: zero-width space and joiner, bidi marks, soft hyphen, byte-order mark
    expect(visible('a\u200bb\u200dc\u200e\u200f\u061c\u00ad\ufeff')).toBe('a\\u200bb\\u200dc\\u200e\\u200f\\u061c\\xad\\ufeff');
    expect(escapeMarkdown('~~struck~~')).toBe('\\~\\~struck\\~\\~');
    expect(escapeHtml('<b>\u001b]0;t\u0007</b>\nx')).toBe('&lt;b&gt;\\x1b]0;t\\x07&lt;/b&gt;\\x0ax');
    expect(escapeHtmlLines('<b>\u001b]0;t\u0007</b>\nx')).toBe('&lt;b&gt;\\x1b]0;t\\x07&lt;/b&gt;\nx');
    expect(escapeMarkdown('x\u001b')).toBe('x\\\\x1b');
    expect(fenced('cmd \u001b[2J\nnext')).toBe('```text\ncmd \\x1b[2J\nnext\n```');
  });

  it("SQL's ac_visible (the report lines) shows exactly what visible() shows, the same way", async () => {
    const lines = [...Array(0x3100).keys()].filter((c) => c < 0xd800).map((c) => `a${String.fromCodePoint(c)}b`)
      .concat([String.fromCodePoint(0xfeff, 0x1f600), 'x\n\ny\r\u001b[2J\u202e\u200b end', 'plain', '']);
    const db = await Database.open(':memory:');
    try {
      const rows = await db.all<{ v: string }>('SELECT ac_visible(l) AS v FROM unnest($1::VARCHAR[]) WITH ORDINALITY AS u(l, i) ORDER BY i', [listValue(lines)]);
      expect(rows.map((r) => r.v)).toEqual(lines.map(visible));
    } finally {
      db.close();
    }
  });

  it('context --alert-id, the Markdown and HTML reports and the weekly views carry no raw control character; the stored data keeps them', async () => {
    const db = await Database.open(dbPath);
    let alertId: string;
    try {
      ({ alert_id: alertId } = await db.one<{ alert_id: string }>(
        `SELECT r.alert_id FROM context_reports r JOIN alerts a USING (alert_id) WHERE contains(a.alert_name, chr(27)) ORDER BY r.alert_id LIMIT 1`));
      expect((await db.one<{ n: number }>(`SELECT count(*) AS n FROM process_events WHERE ends_with(command_line, $1)`, [HOSTILE_SUFFIX])).n).toBeGreaterThan(0);
    } finally {
      db.close();
    }
    const one = run('context', '--db', dbPath, '--alert-id', alertId);
    expect(one.code).toBe(0);
    expect(one.stdout).not.toMatch(RAW_CONTROL);
    expect(one.stdout).not.toMatch(FORGED_LINE);
    expect(one.stdout).toContain('\\x1b[2J\\x1b]0;owned\\x07 \\x9b31m \\u202eexe.txt\\u200b\\x0a12:34:56Z C:');

    const out = tempDir();
    expect(run('context', '--db', dbPath, '--from', days[0]!, '--to', days.at(-1)!, '--out', out).code).toBe(0);
    const views = filesUnder(join(out, 'reports'));
    expect(views.length).toBeGreaterThan(0);
    for (const f of views) expect(readFileSync(f, 'utf8'), f).not.toMatch(RAW_CONTROL);
    for (const f of views) expect(readFileSync(f, 'utf8'), f).not.toMatch(FORGED_LINE);
    const weekly = tempDir();
    expect(run('weekly', '--db', dbPath, '--week', '2026-W45', '--out', weekly).code).toBe(0);
    for (const f of filesUnder(weekly).filter((f) => /\.(md|html)$/.test(f))) {
      expect(readFileSync(f, 'utf8'), f).not.toMatch(RAW_CONTROL);
      expect(readFileSync(f, 'utf8'), f).not.toMatch(FORGED_LINE);
    }

    const after = await Database.open(dbPath);
    try {
      const stored = await after.one<{ n: number }>(`SELECT count(*) AS n FROM alerts WHERE ends_with(alert_name, $1)`, [HOSTILE_SUFFIX]);
      expect(stored.n).toBeGreaterThan(0);
    } finally {
      after.close();
    }
  });

  it('CSV files quote every text cell and neutralise cells a spreadsheet would run as a formula', async () => {
    const out = tempDir();
    const retro = run('retro', '--db', dbPath, '--from', days[0]!, '--to', days.at(-1)!, '--out', out);
    expect(retro.code).toBe(0);
    // its terminal table of metrics per alert name: no row forged, no control character
    expect(retro.stdout).toContain('exe.txt\\u200b\\x0a12:34:56Z');
    expect(retro.stdout).not.toMatch(FORGED_LINE);
    expect(retro.stdout).not.toMatch(RAW_CONTROL);
    const text = readFileSync(join(out, 'metrics.csv'), 'utf8');
    expect(text).not.toMatch(RAW_CONTROL);
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe('run_id,group_by,group_value,metric,k,n,value,low,high');
    const formula = lines.filter((l) => l.includes('calc'));
    expect(formula.length).toBeGreaterThan(0);
    for (const l of formula) expect(l).toMatch(/^\d+,"alert_name","'=cmd\|' \/C calc'!A0 [^"]*",/);
    for (const l of lines.slice(1)) expect(l).toMatch(/^\d+,"[a-z_]+","([^"]|"")*","[a-z_]+",\d+,/);
    // Read back as CSV, every row is whole.
    const db = await Database.open(':memory:');
    try {
      const rows = await db.all<{ group_value: string }>(`SELECT group_value FROM read_csv($1, header = true, quote = '"', escape = '"', all_varchar = true)`, [join(out, 'metrics.csv')]);
      expect(rows).toHaveLength(lines.length - 1);
      expect(rows.filter((r) => /^[=+\-@]/.test(r.group_value))).toEqual([]);
    } finally {
      db.close();
    }
  });
});
