import { OptionError } from '../errors.js';

/** The times a load accepts: a record outside them is rejected (a clock at 1601, 0001 or 9999 is no event time). */
export interface TimeRange { earliest: Date; latest: Date }

export const DEFAULT_EARLIEST = '2000-01-01';

/** 2000-01-01 .. now + 1 day (collectors' clocks run a little ahead). */
export function defaultTimeRange(now = new Date()): TimeRange {
  return { earliest: new Date(`${DEFAULT_EARLIEST}T00:00:00Z`), latest: new Date(now.getTime() + 86_400_000) };
}

/** --time-range FROM..TO (dates or ISO times, UTC; either side may be left empty for its default). */
export function parseTimeRange(text: string | undefined, now = new Date()): TimeRange {
  const range = defaultTimeRange(now);
  if (text === undefined) return range;
  const m = /^([^.]*)\.\.([^.]*(?:\.\d+)?Z?)$/.exec(text.trim());
  if (!m) throw new OptionError('--time-range', `'${text}' is not FROM..TO (e.g. 2015-01-01..2030-12-31)`);
  const side = (s: string, fallback: Date): Date => {
    if (s === '') return fallback;
    const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s);
    if (Number.isNaN(d.getTime())) throw new OptionError('--time-range', `'${s}' is not a date or time`);
    return d;
  };
  const earliest = side(m[1]!, range.earliest);
  const latest = side(m[2]!, range.latest);
  if (latest <= earliest) throw new OptionError('--time-range', `${text}: the end is not after the start`);
  return { earliest, latest };
}
