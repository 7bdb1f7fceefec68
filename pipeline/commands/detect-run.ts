import type { ArgumentsCamelCase } from 'yargs';
import type { GlobalOptions } from '../cli-options.js';
import { withDatabase } from '../db.js';
import { visible, visibleLines } from '../escape.js';
import { loadDetectConfig } from '../sigma/detect-config.js';
import { detectPeriod } from '../sigma/detect-period.js';
import type { DetectSummary } from '../sigma/detect-period.js';
import { groupReasons } from '../sigma/rule-set.js';
import { textTable } from '../table-text.js';

export interface DetectArgs extends GlobalOptions {
  from: string;
  to?: string;
  rules?: string;
  minLevel?: string;
  ruleStatus?: string[];
  config?: string;
}

export function formatDetectSummary(s: DetectSummary): string {
  const period = s.from === s.to ? s.from : `${s.from}..${s.to}`;
  const out = [
    `detect ${period}: ${s.rules} rule(s) run from ${visible(s.rulesDir)}, ${s.matches} match(es), ${s.added} new alert(s), ${s.seconds.toFixed(2)} s`,
    `${s.unsupported.length} rule(s) unsupported, ${s.notSelected} not selected (level or status)`,
  ];
  const groups = groupReasons(s.unsupported);
  if (groups.length > 0) out.push(textTable(['unsupported because', 'rules'], groups.map((g) => [g.reason, g.rules])));
  return out.join('\n');
}

export async function run(args: ArgumentsCamelCase<DetectArgs>): Promise<void> {
  const config = loadDetectConfig(args.config);
  const summary = await withDatabase(args.db, (db) =>
    detectPeriod(db, {
      rules: args.rules ?? config.rules,
      min_level: args.minLevel ?? config.min_level,
      statuses: args.ruleStatus ?? config.statuses,
    }, { from: args.from, to: args.to ?? args.from }), 'existing');
  console.log(args.json ? JSON.stringify(summary, null, 2) : visibleLines(formatDetectSummary(summary)));
}
