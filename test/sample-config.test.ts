import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../models/thresholds.js';
import { loadThresholds } from '../pipeline/config.js';
import { loadDetectConfig } from '../pipeline/sigma/detect-config.js';
import { ROOT } from './helpers.js';

describe('data/samples/config.json', () => {
  const sample = join(ROOT, 'data', 'samples', 'config.json');

  it('is a valid --config: every key known, every value in range', () => {
    expect(() => loadThresholds(sample)).not.toThrow();
    expect(loadDetectConfig(sample).nightly).toBe(true);
  });

  it('shows every threshold, at its documented default', () => {
    const written = JSON.parse(readFileSync(sample, 'utf8')) as Record<string, Record<string, unknown>>;
    for (const [section, keys] of Object.entries(DEFAULT_THRESHOLDS)) {
      for (const [key, value] of Object.entries(keys)) expect(written[section]?.[key], `${section}.${key}`).toEqual(value);
    }
  });
});

describe('the detect command', () => {
  it("offers the levels and statuses the rule set knows", async () => {
    const { RULE_LEVELS, RULE_STATUSES } = await import('../models/detect-config.js');
    const { LEVELS, STATUSES } = await import('../pipeline/sigma/rule-set.js');
    expect(RULE_LEVELS).toEqual(LEVELS);
    expect(RULE_STATUSES).toEqual(STATUSES);
  });
});
