import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadThresholds } from '../pipeline/config.js';
import { loadDetectConfig } from '../pipeline/sigma/detect-config.js';
import { ROOT } from './helpers.js';

describe('data/samples/config.json', () => {
  const sample = join(ROOT, 'data', 'samples', 'config.json');

  it('is a valid --config: every key known, every value in range', () => {
    expect(() => loadThresholds(sample)).not.toThrow();
    expect(loadDetectConfig(sample).nightly).toBe(true);
  });
});
