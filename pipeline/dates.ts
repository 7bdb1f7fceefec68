import { OptionError } from './errors.js';

/** Add `days` to a YYYY-MM-DD date. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A YYYY-MM-DD UTC day that exists, else an error naming the option. */
export function checkDate(value: string, option: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw new OptionError(option, `'${value}' is not a date (YYYY-MM-DD)`);
  }
  return value;
}

/** Milliseconds at a UTC midnight of any year (Date.UTC reads years 0-99 as 1900-1999). */
const utcTime = (year: number, month: number, day: number): number => new Date(0).setUTCFullYear(year, month, day);

/** The Monday and Sunday (YYYY-MM-DD) of an ISO week 'YYYY-Www', else an error naming the option. */
export function isoWeekRange(week: string, option = '--week'): { from: string; to: string } {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!m) throw new OptionError(option, `'${week}' is not an ISO week (YYYY-Www, e.g. 2026-W47)`);
  const year = Number(m[1]);
  const n = Number(m[2]);
  // Week 1 holds January 4th; its Monday starts the ISO year.
  const jan4 = utcTime(year, 0, 4);
  const monday1 = jan4 - (((new Date(jan4).getUTCDay() + 6) % 7) * 86_400_000);
  const weeksInYear = isoWeekOf(new Date(utcTime(year, 11, 28)).toISOString().slice(0, 10)).endsWith(`W53`) ? 53 : 52;
  if (n < 1 || n > weeksInYear) throw new OptionError(option, `${year} has weeks 01 to ${weeksInYear}, not ${m[2]}`);
  const from = new Date(monday1 + (n - 1) * 7 * 86_400_000).toISOString().slice(0, 10);
  return { from, to: addDays(from, 6) };
}

/** The ISO week 'YYYY-Www' of a YYYY-MM-DD day. */
export function isoWeekOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const thursday = new Date(d.getTime() + (3 - ((d.getUTCDay() + 6) % 7)) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - utcTime(year, 0, 1)) / (7 * 86_400_000));
  return `${String(year).padStart(4, '0')}-W${String(week).padStart(2, '0')}`;
}

/** The days of a period --from..--to (both YYYY-MM-DD, inclusive), in order; errors name the option. */
export function periodDays(from: string, to: string): string[] {
  checkDate(from, '--from');
  checkDate(to, '--to');
  if (to < from) throw new OptionError('--to', `${to} is before ${from}`);
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
  return days;
}
