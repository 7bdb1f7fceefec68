import type { ArgumentsCamelCase } from 'yargs';
import type { GlobalOptions } from '../cli-options.js';
import { runDemo } from '../jobs/demo.js';
import { join } from 'node:path';
import { formatManifest } from './generate-run.js';
import { HEADLINE_METRICS } from '../metrics/context-metrics.js';
import { cell, metricLabel } from '../metrics/format-metrics.js';
import { textTable } from '../table-text.js';
import type { TunePointResult } from '../tune/run-tune.js';
import { visible, visibleLines } from '../escape.js';
import { progressWanted, startProgress } from '../progress.js';
import type { Progress } from '../progress.js';

const indent = (text: string) => text.split('\n').map((l) => `   ${l}`);

function formatBest(p: TunePointResult): string {
  const f = (x: TunePointResult['item_precision']) => (x.value === null ? '-' : `${x.value.toFixed(2)} [${x.low?.toFixed(2)}-${x.high?.toFixed(2)}]`);
  return [
    Object.entries(p.params).map(([k, v]) => `${k}=${v}`).join(', '),
    `item precision ${f(p.item_precision)}, attack recall ${f(p.attack_recall)}, benign report rate ${f(p.benign_report_rate)}, coverage ${f(p.coverage)}`,
  ].join('\n');
}

export interface DemoArgs extends GlobalOptions {
  out: string;
  hosts: number;
  days: number;
  seed: number;
}

export async function run(args: ArgumentsCamelCase<DemoArgs>): Promise<void> {
  const wanted = progressWanted(args);
  let progress: Progress | undefined;
  let stage = '';
  const r = await runDemo({
    out: args.out, hosts: args.hosts, days: args.days, seed: args.seed,
    progress: (step) => {
      if (step.stage !== stage) {
        stage = step.stage;
        progress = startProgress(step.stage, step.total, step.total > 1 ? 'days' : 'steps', wanted);
      }
      progress?.update(step.done, step.detail);
    },
  }).finally(() => progress?.end());
  if (args.json) {
    console.log(JSON.stringify({
      fleet: r.fleetDir, db: r.dbPath, seconds: r.seconds, generated: r.manifest.counts, loaded: r.load.totals, unusual: r.unusual, reports: r.reports,
      retro: { run: r.retro.run, files: r.retro.files, overall: r.retro.metrics.filter((m) => m.group_by === 'overall') },
      tune: { verdict: r.tune.verdict, best: r.tune.best, files: r.tune.files }, weekly: r.weekly.files,
    }, null, 2));
    return;
  }
  const t = r.load.totals;
  console.log(visibleLines([
    `1. generate (${r.seconds.generate.toFixed(1)} s)`,
    formatManifest(r.manifest, r.fleetDir),
    '',
    `2. nightly, day by day (${r.seconds.nightly.toFixed(1)} s): ${t.read.toLocaleString('en-US')} rows read from ${r.load.files} files: ` +
      `${t.loaded.process_events.toLocaleString('en-US')} process events, ${t.loaded.logon_events.toLocaleString('en-US')} logon events, ` +
      `${t.loaded.alerts} alerts, ${t.loaded.labels} labels; ${t.rejected} rejected, ${t.duplicates} duplicates, ${t.skipped} skipped`,
    `   scored unusual: ${r.unusual.processes} process events (${r.unusual.malicious} of them labeled malicious), ` +
      `${r.unusual.logons} logons; for example:`,
    ...r.unusual.examples.map((e) => `     ${e.malicious ? '[attack] ' : '[benign] '}${visible(e.reason)}`),
    `   context reports: ${r.reports.reports} for ${r.reports.alerts} alerts (${r.reports.burstItems} items from unusual bursts); true alerts with a report ${r.reports.trueAlertsReported} of ${r.reports.trueAlerts}, ` +
      `false-positive alerts with a report ${r.reports.falseAlertsReported} of ${r.reports.falseAlerts}`,
    '',
    `3. retro over ${r.retro.run.period_from}..${r.retro.run.period_to} (${r.seconds.retro.toFixed(1)} s): run ${r.retro.run.run_id}, ` +
      `${r.retro.run.reports} reports for ${r.retro.run.alerts} alerts, default thresholds`,
    ...indent(textTable(['figure (95% Wilson interval, k/n)', 'value'], HEADLINE_METRICS.flatMap((m) => {
      const f = r.retro.metrics.find((x) => x.group_by === 'overall' && x.metric === m);
      return f ? [[metricLabel(m), cell(f)]] : [];
    }))),
    '',
    `4. tune, ${r.tune.points.length} grid points (${r.seconds.tune.toFixed(1)} s): ${r.tune.verdict}`,
    ...(r.tune.best ? indent(formatBest(r.tune.best)) : []),
    '',
    `5. weekly report ${r.weekly.data.week} (${r.seconds.weekly.toFixed(1)} s)`,
    ...(r.reports.example ? ['', '6. one of the reports:', ...r.reports.example.split('\n').map((l) => `   ${l.length > 160 ? `${l.slice(0, 160)}....` : l}`)] : []),
    '',
    'outputs:',
    `  ${r.fleetDir}/<day>/    generated telemetry, alerts and labels; ${r.fleetDir}/manifest.json`,
    `  ${r.dbPath}    the DuckDB warehouse: events, ledgers, agg_*, baseline_*, *_rarity, context_reports, retro_runs, retro_metrics`,
    `  ${join(args.out, 'context')}/    the nightly reports: reports.ndjson, security_alerts.ndjson, reports/<id>.md|.html`,
    `  ${join(args.out, 'retro')}/    reports.ndjson, metrics.json, metrics.csv|parquet|arrow`,
    `  ${join(args.out, 'tune')}/    tune.csv|parquet|arrow, tune.json, tune.svg`,
    `  ${r.weekly.files.html}    (and .md, .json)`,
    '',
    `try: bin/alert-context load --db ${r.dbPath} --input test/fixtures/otrf --input eval/otrf/captures   (real Windows telemetry)`,
  ].join('\n')));
}
