import type { ArgumentsCamelCase, CommandModule } from 'yargs';
import type { GlobalOptions } from '../cli.js';
import { loadThresholds } from '../config.js';
import { withDatabase } from '../db.js';
import { textTable } from '../table-text.js';
import { SWEEPABLE, parseGrid } from '../tune/grid.js';
import { DEFAULT_OBJECTIVE, runTune } from '../tune/run-tune.js';
import type { Figure, TuneResult } from '../tune/run-tune.js';

interface TuneArgs extends GlobalOptions {
  from: string;
  to: string;
  grid: string[];
  config?: string;
  out?: string;
  minPrecision: number;
  maxBenignRate: number;
}

export const tuneCommand: CommandModule<GlobalOptions, TuneArgs> = {
  command: 'tune',
  describe: 'sweep thresholds over a labeled period from one scoring pass; write the precision/recall/coverage table and chart, and name the best point',
  builder: (y) =>
    y
      .option('from', { type: 'string', demandOption: true, describe: 'first UTC day, YYYY-MM-DD' })
      .option('to', { type: 'string', demandOption: true, describe: 'last UTC day (inclusive)' })
      .option('grid', { type: 'string', array: true, demandOption: true, describe: `key=v1,v2,... (repeat for more keys; all combinations). Keys: ${SWEEPABLE.join(', ')}` })
      .option('config', { type: 'string', describe: 'the base thresholds the grid varies (JSON); the documented defaults when absent' })
      .option('out', { type: 'string', describe: 'write tune.csv|parquet|arrow, tune.json and tune.svg here' })
      .option('min-precision', { type: 'number', default: DEFAULT_OBJECTIVE.minItemPrecision, describe: 'objective: item precision at least this' })
      .option('max-benign-rate', { type: 'number', default: DEFAULT_OBJECTIVE.maxBenignReportRate, describe: 'objective: benign report rate at most this' })
      .example('$0 tune --from 2026-11-08 --to 2026-11-21 --grid rarity.max_fleet_hosts=1,2,3,5,8 --grid rarity.max_host_days=0,1 --out data/tune', 'ten points') as never,
  handler: async (args: ArgumentsCamelCase<TuneArgs>) => {
    const axes = parseGrid(args.grid);
    const base = loadThresholds(args.config);
    await withDatabase(args.db, async (db) => {
      const r = await runTune(db, {
        from: args.from, to: args.to, base, axes, objective: { minItemPrecision: args.minPrecision, maxBenignReportRate: args.maxBenignRate },
        ...(args.out ? { out: args.out } : {}),
      });
      console.log(args.json ? JSON.stringify(r, null, 2) : formatTune(r));
    }, 'existing');
  },
};

const fig = (f: Figure, digits = 2) => (f.value === null ? '-' : f.low === null ? f.value.toFixed(1) : `${f.value.toFixed(digits)} [${f.low.toFixed(2)}-${f.high!.toFixed(2)}]`);

export function formatTune(r: TuneResult): string {
  const keys = r.axes.map((a) => a.key);
  return [
    `tune ${r.from}..${r.to}: ${r.points.length} grid points over ${keys.join(', ')}`,
    '',
    textTable(
      ['point', ...keys, 'item precision', 'attack recall', 'benign report rate', 'coverage', 'items/report', 'objective'],
      r.points.map((p) => [
        p.point_id, ...keys.map((k) => p.params[k]!), fig(p.item_precision), fig(p.attack_recall), fig(p.benign_report_rate), fig(p.coverage),
        fig(p.items_per_report), p.point_id === r.best?.point_id ? 'BEST' : p.meets_objective ? 'meets' : '',
      ]),
    ),
    '',
    `best: ${r.verdict}${r.best ? `: ${Object.entries(r.best.params).map(([k, v]) => `${k}=${v}`).join(', ')}` : ''}`,
    ...(r.files.length ? ['', 'written:', ...r.files.map((f) => `  ${f}`)] : []),
  ].join('\n');
}
