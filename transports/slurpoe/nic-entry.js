// The NIC processor thread starts here: Node 20 does not apply loader hooks to
// a worker's own entry module, so register the TypeScript loader (tsx) first,
// then import the real entry named in workerData.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
