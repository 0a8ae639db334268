// Lists every database with Turso's official TypeScript client (databases.list(), one call:
// the client has no pagination). The runner measures peak RSS.
//   node bench/ts/list.mjs BASE_URL TOKEN
// Prints: databases=COUNT seconds=S errors=E
import { client, report } from "./common.mjs";

const [baseUrl, token] = process.argv.slice(2);
const turso = client(baseUrl, token);
const start = performance.now();
let count = 0;
let errors = 0;
try {
  count = (await turso.databases.list()).length;
} catch (error) {
  console.error(`call failed: ${error.message}`);
  errors = 1;
}
report({ databases: count, seconds: ((performance.now() - start) / 1000).toFixed(6), errors });
process.exitCode = errors ? 1 : 0;
