// The least a launched process can do: learn its job, publish one endpoint,
// fence, read every other's, finalize. What launch time costs before tsmpi
// itself starts.
import { detectBootstrap } from "../../src/bootstrap/detect.ts";

const job = await detectBootstrap();
await job.put(`ep.${job.rank}`, `tcp:127.0.0.1:${40000 + job.rank}`);
await job.fence();
for (let r = 0; r < job.size; r++) await job.get(`ep.${r}`);
await job.finalize();
