import type { ArgumentsCamelCase, CommandModule } from 'yargs';
import type { GlobalOptions } from '../cli.js';
import { withDatabase } from '../db.js';
import { visibleLines } from '../escape.js';
import { loadDetectConfig } from '../sigma/detect-config.js';
import { detectPeriod } from '../sigma/detect-period.js';
import type { DetectSummary } from '../sigma/detect-period.js';
import { LEVELS, STATUSES, groupReasons } from '../sigma/rule-set.js';
import { textTable } from '../table-text.js';

interface DetectArgs extends GlobalOptions {
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
    `detect ${period}: ${s.rules} rule(s) run from ${s.rulesDir}, ${s.matches} match(es), ${s.added} new alert(s), ${s.seconds.toFixed(2)} s`,
    `${s.unsupported.length} rule(s) unsupported, ${s.notSelected} not selected (level or status)`,
  ];
  const groups = groupReasons(s.unsupported);
  if (groups.length > 0) out.push(textTable(['unsupported because', 'rules'], groups.map((g) => [g.reason, g.rules])));
  return out.join('\n');
}

export const detectCommand: CommandModule<GlobalOptions, DetectArgs> = {
  command: 'detect',
  describe: 'run Sigma rules (SigmaHQ process_creation and Security) over a period; matches become alerts (source sigma)',
  builder: (y) =>
    y
      .option('from', { type: 'string', demandOption: true, describe: 'first UTC day, YYYY-MM-DD' })
      .option('to', { type: 'string', describe: 'last UTC day (default: --from)' })
      .option('rules', { type: 'string', describe: "rules directory or file (default: the config's detect.rules, else the repository's rules/sigma)" })
      .option('min-level', { choices: [...LEVELS], describe: 'rules at this level or above (default: detect.min_level, medium)' })
      .option('rule-status', { type: 'string', array: true, choices: [...STATUSES], describe: 'rule statuses to run (default: stable test experimental)' })
      .option('config', { type: 'string', describe: 'JSON config; its detect section sets the defaults' })
      .example('$0 detect --from 2026-11-14', 'the default rules over one day')
      .example('$0 detect --from 2026-11-01 --to 2026-11-14 --rules ~/team-rules --min-level high', "a team's own rules") as never,
  handler: async (args: ArgumentsCamelCase<DetectArgs>) => {
    const config = loadDetectConfig(args.config);
    const summary = await withDatabase(args.db, (db) =>
      detectPeriod(db, {
        rules: args.rules ?? config.rules,
        min_level: args.minLevel ?? config.min_level,
        statuses: args.ruleStatus ?? config.statuses,
      }, { from: args.from, to: args.to ?? args.from }), 'existing');
    console.log(args.json ? JSON.stringify(summary, null, 2) : visibleLines(formatDetectSummary(summary)));
  },
};
