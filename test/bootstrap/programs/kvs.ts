// Started by a real launcher (mpiexec.hydra, srun) in the bootstrap tests:
// each process puts a value, fences, reads every other's, and prints one JSON
// line. `abort` mode: rank 1 aborts while the others wait forever. `ring`
// mode: each process listens on its own address, publishes it through the
// launcher's store, and sends `count` checksummed lines to the next rank over TCP.
import { createHash } from "node:crypto";
import { type Socket, connect, createServer } from "node:net";
import { networkInterfaces } from "node:os";
import { createInterface } from "node:readline";
import { detectBootstrap } from "../../../src/bootstrap/detect.ts";

const mode = process.argv[2] ?? "kvs";
const job = await detectBootstrap();

// Awkward on purpose: spaces, ';', '=', newlines and, on rank 1, more than PMI's 1024-byte value limit.
const expectedValue = (r: number) => `endpoint ${r}; a=b\nline ${"x".repeat(r === 1 ? 3000 : 10)} é`;

/** This process's first non-loopback IPv4 address (its namespace's, under netns-hosts.sh). */
function ownAddress(): string {
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === "IPv4" && !a.internal) return a.address;
  return "127.0.0.1";
}

const sum = (s: string) => createHash("sha256").update(s).digest("hex").slice(0, 16);

async function ring(count: number): Promise<{ address: string; from: string; received: number; intact: boolean }> {
  const address = ownAddress();
  let received = 0;
  let intact = true;
  let from = "";
  let done = () => {};
  const all = new Promise<void>((r) => (done = r));
  const server = createServer((s: Socket) => {
    from = s.remoteAddress ?? "";
    createInterface({ input: s }).on("line", (line) => {
      const [n, body, check] = line.split(" ");
      if (Number(n) !== received || sum(body) !== check) intact = false;
      if (++received === count) done();
    });
  });
  await new Promise<void>((r) => server.listen(0, address, r));
  const a = server.address();
  await job.put(`ring.${job.rank}`, `${address} ${typeof a === "object" && a ? a.port : 0}`);
  await job.fence();
  const [host, port] = (await job.get(`ring.${(job.rank + 1) % job.size}`)).split(" ");
  const out = connect({ host, port: Number(port) });
  for (let i = 0; i < count; i++) {
    const body = `${job.rank}-${i}-${"y".repeat(i % 200)}`;
    out.write(`${i} ${body} ${sum(body)}\n`);
  }
  out.end();
  await all;
  server.close();
  return { address, from, received, intact };
}

if (mode === "ring") {
  const r = await ring(Number(process.argv[3] ?? 1000));
  console.log(JSON.stringify({ rank: job.rank, host: job.host, ...r }));
  await job.fence();
  await job.finalize();
} else if (mode === "abort") {
  console.log(JSON.stringify({ rank: job.rank, pid: process.pid }));
  // Everyone has said who it is before anyone aborts.
  await job.fence();
  if (job.rank === 1) {
    // Time for the others' lines to travel through the launcher's output forwarding before it kills them.
    await new Promise((r) => setTimeout(r, 1500));
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
