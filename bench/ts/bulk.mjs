// Bulk provisioning with Turso's official TypeScript client, C calls in flight: create N
// databases in group "default", mint a token for each, delete them (three promise pools).
//   node bench/ts/bulk.mjs BASE_URL TOKEN N C PREFIX
// Prints: calls=3N seconds=S errors=E create_s=.. token_s=.. delete_s=..
import { client, intArg, pool, report } from "./common.mjs";

const [baseUrl, token, nText, cText, prefix] = process.argv.slice(2);
const n = intArg(nText, "N");
const concurrency = intArg(cText, "C");
const turso = client(baseUrl, token);
const name = (i) => `${prefix}-${i}`;

const phases = {
  create: (i) => turso.databases.create(name(i), { group: "default" }),
  token: (i) => turso.databases.createToken(name(i)),
  delete: (i) => turso.databases.delete(name(i)),
};
const fields = {};
let errors = 0;
let total = 0;
for (const [phase, task] of Object.entries(phases)) {
  const start = performance.now();
  errors += await pool(n, concurrency, task);
  const seconds = (performance.now() - start) / 1000;
  total += seconds;
  fields[`${phase}_s`] = seconds.toFixed(6);
}
report({ calls: 3 * n, seconds: total.toFixed(6), errors, ...fields });
process.exitCode = errors ? 1 : 0;
