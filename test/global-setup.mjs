// Before any test: the compiled CLI that tests run through bin/alert-context is built from the
// current sources once, not by each of the test processes that start it at the same time.
import { ensureBuilt } from '../build/build.mjs';

export default async function setup() {
  await ensureBuilt();
}
