import type { CommandModule } from 'yargs';
import type { GlobalOptions } from '../cli-options.js';
import { lazyRun, withConfig, withPeriod } from '../cli-options.js';
// From models/, not sigma/rule-set.ts: --help then loads no rule compiler and no YAML parser.
import { RULE_LEVELS, RULE_STATUSES } from '../../models/detect-config.js';
import type { DetectArgs } from './detect-run.js';

export const detectCommand: CommandModule<GlobalOptions, DetectArgs> = {
  command: 'detect',
  describe: 'run Sigma rules (SigmaHQ process_creation and Security) over a period; matches become alerts (source sigma)',
  builder: (y) =>
    withConfig(withPeriod(y, { required: 'from', to: 'last UTC day (default: --from)' })
      .option('rules', { type: 'string', describe: "rules directory or file (default: the config's detect.rules, else the repository's rules/sigma)" })
      .option('min-level', { choices: [...RULE_LEVELS], describe: 'rules at this level or above (default: detect.min_level, medium)' })
      .option('rule-status', { type: 'string', array: true, choices: [...RULE_STATUSES], describe: 'rule statuses to run (default: stable test experimental)' }),
      'JSON config; its detect section sets the defaults')
      .example('$0 detect --from 2026-11-14', 'the default rules over one day')
      .example('$0 detect --from 2026-11-01 --to 2026-11-14 --rules ~/team-rules --min-level high', "a team's own rules") as never,
  handler: lazyRun(() => import('./detect-run.js')),
};
