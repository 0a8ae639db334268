// Sequential calls with Turso's official TypeScript client: locations.list() (GET /v1/locations), N times.
//   node bench/ts/seq.mjs BASE_URL TOKEN N [WARMUP]
// Prints: calls=N seconds=S errors=E
import { client, intArg, pool, report } from "./common.mjs";

const [baseUrl, token, nText, warmupText = "50"] = process.argv.slice(2);
const n = intArg(nText, "N");
const turso = client(baseUrl, token);

await pool(intArg(warmupText, "WARMUP"), 1, () => turso.locations.list());
const start = performance.now();
const errors = await pool(n, 1, () => turso.locations.list());
const seconds = (performance.now() - start) / 1000;
report({ calls: n, seconds: seconds.toFixed(6), errors });
process.exitCode = errors ? 1 : 0;
