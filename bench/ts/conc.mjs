// Concurrent throughput with Turso's official TypeScript client: N calls of locations.list()
// with C in flight (a promise pool).
//   node bench/ts/conc.mjs BASE_URL TOKEN N C
// Prints: calls=N seconds=S errors=E
import { client, intArg, pool, report } from "./common.mjs";

const [baseUrl, token, nText, cText] = process.argv.slice(2);
const n = intArg(nText, "N");
const concurrency = intArg(cText, "C");
const turso = client(baseUrl, token);

// Open the connections before timing, as the C benchmark and wrk do.
await pool(concurrency * 4, concurrency, () => turso.locations.list());
const start = performance.now();
const errors = await pool(n, concurrency, () => turso.locations.list());
const seconds = (performance.now() - start) / 1000;
report({ calls: n, seconds: seconds.toFixed(6), errors });
process.exitCode = errors ? 1 : 0;
