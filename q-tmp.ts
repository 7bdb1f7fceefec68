import { DuckDBInstance } from '@duckdb/node-api';
const [path, ...qs] = process.argv.slice(2);
const inst = await DuckDBInstance.create(path!, { access_mode: 'READ_ONLY' });
const c = await inst.connect();
for (const q of qs) { const t = performance.now(); const r = await c.runAndReadAll(q); console.log(q.slice(0,80), ((performance.now()-t)/1000).toFixed(2)+'s'); console.table(r.getRowObjectsJS().slice(0,40)); }
