import { Database } from './pipeline/db.js';
const db = await Database.open(process.argv[2]!);
for (const sql of process.argv.slice(3)) console.table(await db.all(sql));
db.close();
