/**
 * Progress of a long stage on a terminal: items done of the total, the rate and the time left,
 * redrawn in place on one stderr line. Nothing is written when stderr is not a TTY (pipes, CI logs,
 * cron mail) or with --quiet / --json, so those stay byte-for-byte clean.
 */
import { visible } from './escape.js';

/** The part of a stream progress writes to (process.stderr, or a test's stand-in). */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface Progress {
  /** `done` items finished; `detail` names the one under way. */
  update(done: number, detail?: string): void;
  /** Erase the line (before the command prints its result). */
  end(): void;
}

/** Whether progress may be drawn: a terminal, and neither --json nor --quiet. */
export function progressWanted(args: { json?: boolean; quiet?: boolean }, stream: ProgressStream = process.stderr): boolean {
  return !args.json && !args.quiet && stream.isTTY === true;
}

/** Set by the CLI for --quiet and --json: stages that draw progress themselves (an .evtx conversion) stay silent too. */
let silenced = false;

export function silenceProgress(silent: boolean): void {
  silenced = silent;
}

/** Whether a stage may draw progress on stderr: a terminal, and neither --quiet nor --json. */
export function progressAllowed(stream: ProgressStream = process.stderr): boolean {
  return !silenced && stream.isTTY === true;
}

const NONE: Progress = { update() {}, end() {} };

/** Redraws at most this often (ms), but always for the first and the last item. */
const REDRAW_MS = 100;

/** Seconds as 42s, 3m05s, 1h02m. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** The progress line: "load 3/84 files, 1.2 files/s, 1m08s left: day/process_events.parquet". */
export function progressLine(label: string, done: number, total: number, unit: string, elapsedSeconds: number, detail?: string): string {
  const parts = [`${label} ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} ${unit}`];
  if (done > 0 && elapsedSeconds > 0) {
    const perSecond = done / elapsedSeconds;
    const singular = unit.replace(/s$/, '');
    parts.push(perSecond >= 1 ? `${perSecond.toFixed(1)} ${unit}/s` : `${(elapsedSeconds / done).toFixed(1)} s/${singular}`);
    if (done < total) parts.push(`${duration((total - done) / perSecond)} left`);
  }
  // The detail may be a file name from the input: its control characters are shown, not sent.
  return `${parts.join(', ')}${detail ? `: ${visible(detail)}` : ''}`;
}

/** A progress line for `total` items of `unit` (plural, e.g. "files", "days"), or a no-op when not wanted. */
export function startProgress(label: string, total: number, unit: string, wanted: boolean, stream: ProgressStream = process.stderr, now: () => number = Date.now): Progress {
  if (!wanted) return NONE;
  const started = now();
  let drawn = -Infinity;
  return {
    update(done, detail) {
      const t = now();
      if (t - drawn < REDRAW_MS && done > 0 && done < total) return;
      drawn = t;
      const line = progressLine(label, done, total, unit, (t - started) / 1000, detail);
      stream.write(`\r\x1b[K${line.slice(0, (stream.columns || 100) - 1)}`);
    },
    end() {
      stream.write('\r\x1b[K');
    },
  };
}
