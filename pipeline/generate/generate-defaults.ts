import type { OutputFormat } from './writers.js';

/** The generator's defaults (the CLI's option defaults; no DuckDB import, so --help stays fast). */
export const GENERATE_DEFAULTS = {
  hosts: 50, days: 14, start: '2026-11-01', seed: 42, format: 'canonical-parquet' as OutputFormat,
  attackRate: 0.02, fpRatio: 1, eventRate: 1, adminRate: 0.15,
};
