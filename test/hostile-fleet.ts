import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_THRESHOLDS } from '../models/thresholds.js';
import { runNightly } from '../pipeline/jobs/nightly.js';
import { Database } from '../pipeline/db.js';
import { GENERATE_DEFAULTS, generateFleet } from '../pipeline/generate/generate-fleet.js';
import { tempDir } from './helpers.js';

/**
 * What an attacker puts in telemetry: clear the screen, set the window title, a C1 CSI, a bidi
 * override, a zero-width space, and a newline followed by a forged report line (FORGED_LINE).
 */
export const HOSTILE_SUFFIX = ' \u001b[2J\u001b]0;owned\u0007 \u009b31m \u202eexe.txt\u200b\n12:34:56Z C:\\Windows\\notepad.exe (UnusualProcess)';
/** A line of output that starts as the forged one: the newline before it was not escaped. */
export const FORGED_LINE = /^12:34:56Z C:/m;
export const FORMULA = "=cmd|' /C calc'!A0";

/**
 * A small generated fleet (10 hosts, 4 days) whose alert names carry control characters (every
 * other alert) or a spreadsheet formula (the rest), run by nightly into a database file; then every
 * stored command line gets the control characters too (the context command rebuilds reports from
 * them).
 */
export async function hostileFleet(): Promise<{ dbPath: string; days: string[]; fleet: string }> {
  const fleet = tempDir();
  const { days } = await generateFleet({ ...GENERATE_DEFAULTS, hosts: 10, days: 4, out: fleet, attackRate: 0.2 });
  for (const day of readdirSync(fleet).filter((d) => /^\d{4}-/.test(d))) {
    const file = join(fleet, day, 'alerts.ndjson');
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l, i) => {
      const a = JSON.parse(l) as { alert_name: string };
      a.alert_name = i % 2 === 0 ? `${a.alert_name}${HOSTILE_SUFFIX}` : `${FORMULA} ${a.alert_name}`;
      return JSON.stringify(a);
    });
    writeFileSync(file, lines.join('\n') + '\n');
  }
  const dbPath = join(tempDir(), 'w.duckdb');
  const db = await Database.open(dbPath);
  try {
    await runNightly(db, { date: days[0]!, to: days.at(-1)!, input: fleet, thresholds: DEFAULT_THRESHOLDS });
    await db.run('UPDATE process_events SET command_line = command_line || $1', [HOSTILE_SUFFIX]);
  } finally {
    db.close();
  }
  return { dbPath, days, fleet };
}

/** Control characters other than newline and tab, as a terminal or a viewer would act on them. */
export const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;
