import type { ArgumentsCamelCase } from 'yargs';
import type { GlobalOptions } from '../cli-options.js';
import type { EngineArgs } from '../engine/clickhouse/engine-option.js';
import { clusterUrls } from '../engine/clickhouse/engine-option.js';
import { withDatabase } from '../db.js';
import type { FormatOption } from '../load/detect.js';
import { loadFiles } from '../load/load-files.js';
import type { LoadSummary } from '../load/load-files.js';
import { textTable } from '../table-text.js';
import { parseTimeRange } from '../load/time-range.js';
import { visible, visibleLines } from '../escape.js';
import { progressWanted, startProgress } from '../progress.js';
import type { Progress } from '../progress.js';

export interface LoadArgs extends GlobalOptions, EngineArgs {
  input: string[];
  format: FormatOption;
  timeRange?: string;
}

/** The longest span of days the load summary suggests one catch-up nightly run over. */
const NEXT_MAX_DAYS = 31;

export function formatLoadSummary(s: LoadSummary): string {
  const rows = s.files.map((f) => [
    f.file, f.format, f.read, f.loaded.process_events, f.loaded.logon_events, f.loaded.alerts, f.loaded.labels,
    f.skipped, f.rejected, f.duplicates,
  ]);
  const t = s.totals;
  rows.push(['total', '', t.read, t.loaded.process_events, t.loaded.logon_events, t.loaded.alerts, t.loaded.labels, t.skipped, t.rejected, t.duplicates]);
  const out = [
    `load ${s.loadId}: ${s.files.length} file(s) read, ${s.skippedFiles.length} skipped`,
    textTable(['file', 'format', 'read', 'process', 'logon', 'alerts', 'labels', 'skipped', 'rejected', 'duplicates'], rows),
  ];
  const days = s.days;
  if (days.length > 0) {
    const [first, last] = [days[0]!, days.at(-1)!];
    const spanDays = (Date.parse(last) - Date.parse(first)) / 86_400_000 + 1;
    // the catch-up run that covers them, unless most of its days would be empty
    const next = spanDays <= NEXT_MAX_DAYS
      ? `next: alert-context nightly --date ${first}${last === first ? '' : ` --to ${last}`}: baselines, Sigma alerts, context reports`
      : '--json lists them';
    out.push(`stored events of ${days.length === 1 ? 'one UTC day' : `${days.length} UTC days`}, ${last === first ? first : `${first}..${last}`} (${next})`);
  }
  // a file none of whose records any mapping of its format takes: a forced --format that does not fit, or no event we load
  for (const f of s.files) {
    if (f.read > 0 && f.skipped === f.read) out.push(`${visible(f.file)}: none of its ${f.read.toLocaleString('en-US')} record(s) is one the ${f.format} mappings take (all skipped): another format, or events not loaded (see docs/loading-and-formats.md)`);
  }
  if (t.truncated > 0) out.push(`${t.truncated} command line(s) longer than 32,767 characters were cut there`);
  if (t.rejected > 0) out.push(`rejected rows are in the rejects table: SELECT file, line, reason FROM rejects WHERE load_id = ${s.loadId}`);
  for (const f of s.skippedFiles) out.push(`skipped file ${visible(f.file)}: ${visible(f.reason)}`);
  return out.join('\n');
}

export async function run(args: ArgumentsCamelCase<LoadArgs>): Promise<void> {
  if (clusterUrls(args).length > 0) return (await import('../engine/clickhouse/commands.js')).loadOnCluster(args);
  let progress: Progress | undefined;
  const summary = await withDatabase(args.db, (db) =>
    loadFiles(db, {
      inputs: args.input,
      format: args.format,
      timeRange: parseTimeRange(args.timeRange),
      onFile: (file, i, n) => {
        progress ??= startProgress('load', n, 'files', progressWanted(args));
        progress.update(i, file);
      },
    }),
    'create', true, // one transaction: a failed first load removes the database it made
  ).finally(() => progress?.end());
  console.log(args.json ? JSON.stringify(summary, null, 2) : visibleLines(formatLoadSummary(summary)));
}
