import { DEFAULT_THRESHOLDS, THRESHOLD_RANGES } from '../models/thresholds.js';
import type { Thresholds } from '../models/thresholds.js';
import { OptionError } from './errors.js';
import { readConfigJson } from './json-error.js';
import { resolveDetectConfig } from './sigma/detect-config.js';

/** Overlay `overrides` on the defaults, refusing unknown keys and bad values by name. */
export function resolveThresholds(overrides: unknown, source = 'config'): Thresholds {
  const result = structuredClone(DEFAULT_THRESHOLDS) as unknown as Record<string, Record<string, number>>;
  if (overrides === undefined || overrides === null) return result as unknown as Thresholds;
  if (typeof overrides !== 'object' || Array.isArray(overrides)) throw new OptionError(source, 'must be a JSON object');
  // One file configures every command: its detect section is checked here too, so that context,
  // retro or tune do not take a file the nightly would refuse
  resolveDetectConfig(overrides, source);
  for (const [section, values] of Object.entries(overrides as Record<string, unknown>)) {
    // `detect` is Sigma detection's section, read (and checked above) by pipeline/sigma/detect-config.ts.
    if (section === '$schema' || section === 'description' || section === 'detect') continue;
    const target = result[section];
    if (!target) throw new OptionError(`${source}: ${section}`, `unknown section (known: ${Object.keys(result).join(', ')})`);
    if (typeof values !== 'object' || values === null || Array.isArray(values)) throw new OptionError(`${source}: ${section}`, 'must be an object');
    for (const [key, value] of Object.entries(values as Record<string, unknown>)) {
      const path = `${section}.${key}`;
      const range = THRESHOLD_RANGES[path];
      if (!range) throw new OptionError(`${source}: ${path}`, `unknown key (known in ${section}: ${Object.keys(target).join(', ')})`);
      const [min, max, integer] = range;
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new OptionError(`${source}: ${path}`, `must be a number, got ${JSON.stringify(value)}`);
      if (value < min || value > max) throw new OptionError(`${source}: ${path}`, `must be between ${min} and ${max}, got ${value}`);
      if (integer && !Number.isInteger(value)) throw new OptionError(`${source}: ${path}`, `must be an integer, got ${value}`);
      target[key] = value;
    }
  }
  return result as unknown as Thresholds;
}

/** Read --config PATH (JSON); the documented defaults when absent. */
export function loadThresholds(path?: string): Thresholds {
  if (!path) return resolveThresholds(undefined);
  return resolveThresholds(readConfigJson(path), path);
}
