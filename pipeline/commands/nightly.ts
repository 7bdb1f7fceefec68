import type { ArgumentsCamelCase, CommandModule } from 'yargs';
import type { GlobalOptions } from '../cli.js';
import { loadThresholds } from '../config.js';
import { withDatabase } from '../db.js';
import { runNightly } from '../baseline/nightly.js';
import { readReports, writeReports } from '../context/write-reports.js';
import { textTable } from '../table-text.js';
import { parseTimeRange } from '../load/time-range.js';
import { loadDetectConfig } from '../sigma/detect-config.js';
import { ruleSetOf } from '../sigma/detect-period.js';
import { referenceFor } from '../sigma/run-detect.js';

interface NightlyArgs extends GlobalOptions {
  date: string;
  out?: string;
  to?: string;
  input?: string;
  config?: string;
  timeRange?: string;
}

export const nightlyCommand: CommandModule<GlobalOptions, NightlyArgs> = {
  command: 'nightly',
  describe: "the scheduled run for a day: load its files, update its aggregates, build the next day's baseline",
  builder: (y) =>
    y
      .option('date', { type: 'string', demandOption: true, describe: 'the UTC day to process, YYYY-MM-DD' })
      .option('to', { type: 'string', describe: 'catch up: process every day from --date to --to (inclusive) in one run' })
      .option('input', { type: 'string', describe: "directory of telemetry: DIR/<date>/ (the generator's layout) or the day's files" })
      .option('config', { type: 'string', describe: 'thresholds and windows (JSON); the documented defaults when absent' })
      .option('time-range', { type: 'string', describe: 'plausible event times FROM..TO (UTC); others are rejected. Default 2000-01-01..now+1 day' })
      .option('out', { type: 'string', describe: "write the day's reports (reports.ndjson, security_alerts.ndjson, reports/) here" })
      .example('$0 nightly --date 2026-11-14 --input /var/telemetry', 'the cron job for one day')
      .example('$0 nightly --date 2026-11-01 --to 2026-11-14 --input data/fleet', 'catch up on two weeks') as never,
  handler: async (args: ArgumentsCamelCase<NightlyArgs>) => {
    const thresholds = loadThresholds(args.config);
    // Sigma detection before each day's context reports unless the config's detect.nightly is false.
    const detectConfig = loadDetectConfig(args.config);
    const detect = detectConfig.nightly ? { rules: ruleSetOf(detectConfig), reference: referenceFor(detectConfig.rules) } : undefined;
    const tty = !args.json && process.stderr.isTTY;
    const result = await withDatabase(args.db, async (db) => {
      const r = await runNightly(db, {
        date: args.date, thresholds, timeRange: parseTimeRange(args.timeRange), ...(detect ? { detect } : {}),
        ...(args.to ? { to: args.to } : {}),
        ...(args.input ? { input: args.input } : {}),
        onStage: (stage, day) => {
          if (tty) process.stderr.write(`\r\x1b[K${day} ${stage} ...`);
          else if (!args.json) console.error(`${new Date().toISOString()} nightly ${day}: ${stage}`);
        },
      });
      if (args.out) writeReports(args.out, (await Promise.all(r.contextRunIds.map((id) => readReports(db, id)))).flat());
      return r;
    });
    if (tty) process.stderr.write('\r\x1b[K');
    if (args.json) {
      console.log(JSON.stringify({ run_ids: result.runIds, date: result.date, to: result.to, stages: result.stages, load: result.load?.totals }, null, 2));
      return;
    }
    const period = result.to === result.date ? result.date : `${result.date}..${result.to}`;
    console.log(`nightly ${period}: ok (run${result.runIds.length > 1 ? 's' : ''} ${result.runIds.join(', ')})`);
    console.log(textTable(['stage', 'rows', 'seconds'], result.stages.map((s) => [s.stage, s.rows, Number(s.seconds.toFixed(2))])));
  },
};
