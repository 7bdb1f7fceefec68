import { DEFAULT_DETECT_CONFIG } from '../../models/detect-config.js';
import type { DetectConfig } from '../../models/detect-config.js';
import { OptionError } from '../errors.js';
import { checkSelection } from './rule-set.js';
import { readConfigJson } from '../json-error.js';

/** The `detect` section of a config object over the defaults; unknown keys and bad values are refused by name. */
export function resolveDetectConfig(config: unknown, source = 'config'): DetectConfig {
  const out: DetectConfig = { ...DEFAULT_DETECT_CONFIG, statuses: [...DEFAULT_DETECT_CONFIG.statuses] };
  const section = (config as Record<string, unknown> | null | undefined)?.['detect'];
  if (section === undefined) return out;
  if (typeof section !== 'object' || section === null || Array.isArray(section)) throw new OptionError(`${source}: detect`, 'must be an object');
  for (const [key, value] of Object.entries(section)) {
    const where = `${source}: detect.${key}`;
    if (key === 'nightly') {
      if (typeof value !== 'boolean') throw new OptionError(where, 'must be true or false');
      out.nightly = value;
    } else if (key === 'rules' || key === 'min_level') {
      if (typeof value !== 'string' || value === '') throw new OptionError(where, 'must be a non-empty string');
      out[key] = value;
    } else if (key === 'statuses') {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new OptionError(where, 'must be a list of statuses');
      out.statuses = value as string[];
    } else {
      throw new OptionError(where, `unknown key (known: ${Object.keys(DEFAULT_DETECT_CONFIG).join(', ')})`);
    }
  }
  // a bad value from the file is the file's, not an option the user never gave
  checkSelection(out.min_level, out.statuses, { level: `${source}: detect.min_level`, statuses: `${source}: detect.statuses` });
  return out;
}

/** The detect section of --config PATH (JSON); the defaults when there is no file. */
export function loadDetectConfig(path?: string): DetectConfig {
  if (!path) return resolveDetectConfig(undefined);
  return resolveDetectConfig(readConfigJson(path), path);
}
