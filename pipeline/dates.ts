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
