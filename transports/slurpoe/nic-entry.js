// The NIC processor thread starts here: Node 20 does not apply loader hooks to
// a worker's own entry module, so from source register the TypeScript loader (tsx) first,
// then import the real entry named in workerData.
// From the build (dist/, entries ending in .js) there is nothing to register.
import { workerData } from "node:worker_threads";

if (workerData.entry.endsWith(".ts")) {
  const { register } = await import("tsx/esm/api");
  register();
}
await import(workerData.entry);
