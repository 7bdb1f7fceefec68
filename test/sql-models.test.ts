import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SQL_DIR } from '../pipeline/db.js';
import { loadModel, parseModel, runModel } from '../pipeline/sql-model.js';
import { memoryDb } from './helpers.js';

/** The pipeline's SQL models (the generator's, the ClickHouse engine's, schema and macros aside). */
const MODEL_DIRS = ['aggregates', 'baseline', 'score', 'load', 'metrics', 'context', 'eval', 'sigma'];

describe('SQL models and their parameters', () => {
  it('every model declares exactly the parameters it reads', () => {
    for (const dir of MODEL_DIRS) {
      for (const file of readdirSync(join(SQL_DIR, dir)).filter((f) => f.endsWith('.sql'))) {
        expect(() => loadModel(`${dir}/${file}`), `${dir}/${file}`).not.toThrow();
      }
    }
  });

  it('a read not declared, a declaration not read, a missing header are errors when the model is loaded', () => {
    const sql = "SELECT getvariable('ac_from'), getvariable('ac_to')";
    expect(() => parseModel('x.sql', `-- parameters: ac_from DATE\n${sql}`)).toThrow(/reads ac_to without declaring it/);
    expect(() => parseModel('x.sql', `-- parameters: ac_from DATE, ac_to DATE, ac_day DATE\n${sql}`)).toThrow(/declares ac_day but does not read it/);
    expect(() => parseModel('x.sql', sql)).toThrow(/no "-- parameters:" line/);
    expect(() => parseModel('x.sql', `-- parameters: ac_from DAT\n${sql}`)).toThrow(/not a parameter declaration/);
    expect([...parseModel('x.sql', `-- parameters: ac_from DATE\n-- parameters: ac_to DATE\n${sql}`).parameters]).toEqual([['ac_from', 'DATE'], ['ac_to', 'DATE']]);
  });

  it('runModel binds exactly the declared parameters, each with its type', async () => {
    const db = await memoryDb();
    try {
      const model = 'aggregates/agg_days.sql';
      await expect(runModel(db, model, { ac_from: '2026-11-01' })).rejects.toThrow(/ac_to not bound/);
      await expect(runModel(db, model, { ac_from: '2026-11-01', ac_to: '2026-11-02', ac_day: '2026-11-01' })).rejects.toThrow(/ac_day bound but not declared/);
      await runModel(db, model, { ac_from: '2026-11-01', ac_to: '2026-11-02' });
      expect(await db.one("SELECT typeof(getvariable('ac_from')) AS t, getvariable('ac_to')::VARCHAR AS v")).toEqual({ t: 'DATE', v: '2026-11-02' });
    } finally {
      db.close();
    }
  });
});
