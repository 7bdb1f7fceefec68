import { Database } from './pipeline/db.js';
import { createStageTables } from './pipeline/load/stage-tables.js';
import { readRecords } from './pipeline/load/read-records.js';
import { mappingsFor } from './models/source-mappings.js';
import { mappingInsertSql } from './pipeline/load/mapping-sql.js';
const db = await Database.open(':memory:');
await createStageTables(db);
let t = Date.now();
await readRecords(db, 0, '../shared/datasets/otrf/all_atomic_windows.proc_logon.jsonl', 'json-lines');
console.log('read', Date.now() - t, await db.all('select count(*) n, count(reject_reason) r from load_records'));
for (const m of mappingsFor('winevent')) {
  t = Date.now();
  const { sql, values } = mappingInsertSql(m, 0);
  await db.run(sql, values);
  console.log(m.name, Date.now() - t);
}
