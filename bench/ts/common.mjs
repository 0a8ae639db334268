// Shared by the TypeScript-client benchmarks: loads Turso's official client
// (@tursodatabase/api, pinned in tools/npm) and runs promise pools.
import { createRequire } from "node:module";

const require = createRequire(new URL("../../tools/npm/package.json", import.meta.url));
const { createClient } = require("@tursodatabase/api");

// The official client on turso-local: its baseUrl is the API root with the /v1/ prefix.
export function client(baseUrl, token) {
  return createClient({ org: "local", token, baseUrl: `${baseUrl.replace(/\/$/, "")}/v1/` });
}

export function intArg(text, what) {
  const value = Number.parseInt(text, 10);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`bad ${what}: ${text}`);
    process.exit(2);
  }
  return value;
}

// Runs task(i) for i in [0, n) with at most `concurrency` in flight; counts failures and
// prints the first one.
export async function pool(n, concurrency, task) {
  let next = 0;
  let errors = 0;
  async function worker() {
    while (next < n) {
      const i = next++;
      try {
        await task(i);
      } catch (error) {
        if (errors === 0) console.error(`call failed: ${error.message} (HTTP ${error.status})`);
        errors++;
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return errors;
}

export function report(fields) {
  console.log(Object.entries(fields).map(([k, v]) => `${k}=${v}`).join(" "));
}
