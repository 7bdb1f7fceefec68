import { listValue } from '@duckdb/node-api';
import type { DuckDBValue } from '@duckdb/node-api';
import type { Database } from './db.js';
import { sqlFile } from './db.js';

/**
 * SQL models (sql/<layer>/<table>.sql) declare the parameters they read, in a header line:
 *
 *   -- parameters: ac_from DATE, ac_to DATE, ac_well_known_logons VARCHAR[]
 *
 * (`-- parameters: none` for a model that reads none). A model reads a parameter as
 * getvariable('<name>'): a DuckDB session variable, since a model is a script of statements and
 * values cannot be bound across them. runModel is the one place that sets them: it binds exactly
 * the declared parameters, each cast to its declared type, then runs the model. Reading a
 * parameter the header does not declare, declaring one the model does not read, leaving a declared
 * one unbound or binding one not declared is an error when the model is loaded, before any
 * statement runs.
 */
export interface Model {
  path: string;
  text: string;
  /** Declared parameters and their DuckDB types, in header order. */
  parameters: ReadonlyMap<string, string>;
}

/** A parameter's value: a scalar, a list of strings, an object of strings (a MAP), or NULL. */
export type ParameterValue = DuckDBValue | readonly string[] | Readonly<Record<string, string>>;

const HEADER = /^--\s*parameters:(.*)$/gm;
const READS = /getvariable\('([a-z_]+)'\)/g;
const TYPE = /^(DATE|TIMESTAMP|INTEGER|BIGINT|DOUBLE|BOOLEAN|VARCHAR|VARCHAR\[\]|MAP\(VARCHAR, VARCHAR\))$/;

const cache = new Map<string, Model>();

/** Parse a model's header and check it against what the model reads. */
export function parseModel(path: string, text: string): Model {
  const declared = [...text.matchAll(HEADER)].map((m) => m[1]!.trim());
  if (declared.length === 0) throw new Error(`sql/${path}: no "-- parameters:" line (write "-- parameters: none" when it reads none)`);
  const parameters = new Map<string, string>();
  for (const item of declared.join(',').split(/,(?![^(]*\))/).map((s) => s.trim()).filter((s) => s !== '' && s !== 'none')) {
    const [, name, type] = /^([a-z_]+)\s+(.+)$/.exec(item) ?? [];
    if (!name || !type || !TYPE.test(type)) throw new Error(`sql/${path}: "${item}" is not a parameter declaration (name TYPE; types: ${TYPE.source})`);
    if (parameters.has(name)) throw new Error(`sql/${path}: ${name} is declared twice`);
    parameters.set(name, type);
  }
  const reads = new Set([...text.matchAll(READS)].map((m) => m[1]!));
  const undeclared = [...reads].filter((r) => !parameters.has(r));
  if (undeclared.length) throw new Error(`sql/${path}: reads ${undeclared.join(', ')} without declaring it`);
  const unread = [...parameters.keys()].filter((p) => !reads.has(p));
  if (unread.length) throw new Error(`sql/${path}: declares ${unread.join(', ')} but does not read it`);
  return { path, text, parameters };
}

/** A model of sql/, read and checked once per process. */
export function loadModel(path: string): Model {
  let model = cache.get(path);
  if (!model) {
    model = parseModel(path, sqlFile(path));
    cache.set(path, model);
  }
  return model;
}

/** The statement setting one parameter, and its bound value. */
function setStatement(name: string, type: string, value: ParameterValue): { sql: string; values: DuckDBValue[] } {
  if (value === null) return { sql: `SET VARIABLE ${name} = NULL::${type}`, values: [] };
  if (type === 'VARCHAR[]') {
    if (!Array.isArray(value)) throw new Error(`${name}: a list of strings, not ${typeof value}`);
    // An empty list cannot be bound (its item type would be unknown).
    return value.length === 0 ? { sql: `SET VARIABLE ${name} = []::VARCHAR[]`, values: [] } : { sql: `SET VARIABLE ${name} = $1::VARCHAR[]`, values: [listValue([...value])] };
  }
  if (type.startsWith('MAP')) return { sql: `SET VARIABLE ${name} = $1::JSON::${type}`, values: [JSON.stringify(value)] };
  return { sql: `SET VARIABLE ${name} = $1::${type}`, values: [value as DuckDBValue] };
}

/** Bind a model's declared parameters (exactly those) and run it. */
export async function runModel(db: Database, path: string, values: Readonly<Record<string, ParameterValue>>): Promise<void> {
  const model = loadModel(path);
  const unbound = [...model.parameters.keys()].filter((p) => !(p in values));
  if (unbound.length) throw new Error(`sql/${path}: ${unbound.join(', ')} not bound`);
  const extra = Object.keys(values).filter((v) => !model.parameters.has(v));
  if (extra.length) throw new Error(`sql/${path}: ${extra.join(', ')} bound but not declared`);
  for (const [name, type] of model.parameters) {
    const set = setStatement(name, type, values[name]!);
    await db.run(set.sql, set.values);
  }
  await db.exec(model.text);
}
