import type { CommandModule } from 'yargs';
import type { GlobalOptions } from '../cli-options.js';
import { lazyRun, withConfig, withOut } from '../cli-options.js';
import type { WeeklyArgs } from './weekly-run.js';

export const weeklyCommand: CommandModule<GlobalOptions, WeeklyArgs> = {
  command: 'weekly',
  describe: 'the weekly context-coverage report: one self-contained HTML file with charts, plus Markdown and JSON with the same numbers',
  builder: (y) =>
    withConfig(withOut(y
      .option('week', { type: 'string', describe: 'ISO week, YYYY-Www; default: the last complete week' })
      .option('weeks', { type: 'number', default: 8, describe: 'weeks in the coverage trend, ending with --week' })
      .option('run', { type: 'number', describe: "measure one stored context run (e.g. a retro run) instead of the nightly runs' reports" }),
      'write weekly-<week>.html, .md and .json here', 'data/weekly'),
      'thresholds and windows (JSON): the job windows attack recall counts in')
      .example('$0 weekly --week 2026-W47', 'the report of one week') as never,
  handler: lazyRun(() => import('./weekly-run.js')),
};
