import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SQL_DIR } from '../pipeline/db.js';
import { loadModel, parseModel, runModel } from '../pipeline/sql-model.js';
import { DERIVED_TABLES } from '../pipeline/table-registry.js';
import { memoryDb } from './helpers.js';

/** Folders of sql/ that hold no DuckDB model: the ClickHouse engine's SQL, the schema, the macros. */
const NOT_MODELS = new Set(['clickhouse', 'schema', 'macros']);
/** Macros a model folder keeps beside its models: parameters declared, no table, no layer. */
const MACROS = new Set(['generate/macros.sql']);

/** Every DuckDB model of sql/, as '<folder>/<file>.sql'. */
const MODELS = readdirSync(SQL_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory() && !NOT_MODELS.has(d.name))
  .flatMap((d) => readdirSync(join(SQL_DIR, d.name)).filter((f) => f.endsWith('.sql')).map((f) => `${d.name}/${f}`));

/** A model's layer, from its header line '-- layer: staging|intermediate|mart'. */
const layerOf = (model: string) => /^-- layer: (staging|intermediate|mart)$/m.exec(readFileSync(join(SQL_DIR, model), 'utf8'))?.[1];

describe('SQL models, their layers and their parameters', () => {
  it('every model declares exactly the parameters it reads', () => {
    expect(MODELS.length).toBeGreaterThan(30);
    for (const model of MODELS) expect(() => loadModel(model), model).not.toThrow();
  });

  it('every model states its layer, and a derived table\'s model the layer the table registry gives it', () => {
    for (const model of MODELS.filter((m) => !MACROS.has(m))) expect(layerOf(model), model).toBeDefined();
    const byTable = new Map(MODELS.map((m) => [m.split('/')[1]!.replace(/\.sql$/, ''), m]));
    // context_runs is one bookkeeping row per run (make-reports.ts), no model of its own.
    const withoutModel = DERIVED_TABLES.filter((t) => !byTable.has(t.name)).map((t) => t.name);
    expect(withoutModel).toEqual(['context_runs']);
    for (const t of DERIVED_TABLES.filter((d) => byTable.has(d.name))) expect(layerOf(byTable.get(t.name)!), t.name).toBe(t.layer);
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
