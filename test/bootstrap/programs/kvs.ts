// Started by a real launcher (mpiexec.hydra, srun) in the bootstrap tests:
// each process puts a value, fences, reads every other's, and prints one JSON
// line. `abort` mode: rank 1 aborts while the others wait forever.
import { detectBootstrap } from "../../../src/bootstrap/detect.ts";

const mode = process.argv[2] ?? "kvs";
const job = await detectBootstrap();

// Awkward on purpose: spaces, ';', '=', newlines and, on rank 1, more than PMI's 1024-byte value limit.
const expectedValue = (r: number) => `endpoint ${r}; a=b\nline ${"x".repeat(r === 1 ? 3000 : 10)} é`;

if (mode === "abort") {
  console.log(JSON.stringify({ rank: job.rank, pid: process.pid }));
  if (job.rank === 1) {
    await new Promise((r) => setTimeout(r, 300));
    await job.abort(7, "rank 1 gives up on purpose");
    process.exit(7);
  }
  setInterval(() => {}, 1000);
} else {
  await job.put(`addr.${job.rank}`, expectedValue(job.rank));
  await job.fence();
  let ok = true;
  for (let r = 0; r < job.size; r++) if ((await job.get(`addr.${r}`)) !== expectedValue(r)) ok = false;
  let missing = "";
  try {
    await job.get("nobody.put.this");
  } catch (e) {
    missing = (e as Error).message;
  }
  const hosts = await job.hosts();
  await job.fence();
  console.log(JSON.stringify({ kind: job.kind, rank: job.rank, size: job.size, host: job.host, hosts, ok, missing }));
  await job.finalize();
}
