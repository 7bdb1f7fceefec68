// Context generation for every alert of a period, set-based (one pass), against the same logic
// run as one query per alert. Usage: tsx bench/context-vs-per-alert.ts DB FROM TO
// (a database the nightly job has run on for FROM..TO). [SAMPLE]: time the per-alert queries on
// that many alerts (every k-th) and extrapolate by their mean.
import { perAlertFloor } from './floors.js';

const [dbPath, from, to, sample] = process.argv.slice(2);
if (!dbPath || !from || !to) throw new Error('usage: tsx bench/context-vs-per-alert.ts DB FROM TO');
console.log(JSON.stringify(await perAlertFloor(dbPath, from, to, sample ? Number(sample) : undefined), null, 2));
