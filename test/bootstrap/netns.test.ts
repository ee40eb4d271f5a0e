// Two hosts made of network namespaces (scripts/netns-hosts.sh), with Hydra
// starting processes in them through scripts/hydra-netns-exec. Traffic between
// the hosts crosses real veth links and a Linux bridge.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alive, lines, nodeProgram, repo, requireTool, run } from "./helpers.ts";

const program = fileURLToPath(new URL("./programs/kvs.ts", import.meta.url));
const hydra = ["-launcher", "ssh", "-launcher-exec", `${repo}/scripts/hydra-netns-exec`, "-localhost", "10.77.0.1", "-hosts", "h0,h1"];

function hosts(...args: string[]): string {
  const r = spawnSync("bash", [`${repo}/scripts/netns-hosts.sh`, ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`scripts/netns-hosts.sh ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout;
}

interface Ring {
  rank: number;
  host: string;
  address: string;
  from: string;
  received: number;
  intact: boolean;
}

beforeAll(() => {
  requireTool("mpiexec.hydra", "mpich");
  requireTool("ip", "iproute2");
  expect(hosts("up", "2")).toBe("h0 10.77.0.10\nh1 10.77.0.11\n");
});
afterAll(() => {
  hosts("down");
});

describe("two network-namespace hosts under Hydra", () => {
  it("each process sits in its host, names it, and all agree on who is where", { timeout: 60_000 }, async () => {
    const r = await run("mpiexec.hydra", [...hydra, "-n", "4", ...nodeProgram(program, "kvs")]);
    expect(r.code).toBe(0);
    const reports = lines<{ rank: number; host: string; hosts: string[]; ok: boolean }>(r.stdout).sort((a, b) => a.rank - b.rank);
    expect(reports.map((p) => p.host)).toEqual(["h0", "h1", "h0", "h1"]);
    for (const p of reports) expect(p).toMatchObject({ ok: true, hosts: ["h0", "h1", "h0", "h1"] });
  });

  it("endpoints published through PMI carry a ring of TCP streams across the veth links", { timeout: 60_000 }, async () => {
    const r = await run("mpiexec.hydra", [...hydra, "-n", "4", ...nodeProgram(program, "ring", "5000")]);
    expect(r.code).toBe(0);
    const ring = lines<Ring>(r.stdout).sort((a, b) => a.rank - b.rank);
    expect(ring.map((p) => p.address)).toEqual(["10.77.0.10", "10.77.0.11", "10.77.0.10", "10.77.0.11"]);
    // Each rank hears from the previous one, which sits on the other host.
    for (const p of ring) expect(p).toMatchObject({ received: 5000, intact: true, from: ring[(p.rank + 3) % 4].address });
  });

  it("an abort ends the job on both hosts within 10 s, with no process left", { timeout: 60_000 }, async () => {
    const r = await run("mpiexec.hydra", [...hydra, "-n", "4", ...nodeProgram(program, "abort")], {}, 30_000);
    const pids = lines<{ rank: number; pid: number }>(r.stdout);
    expect(pids).toHaveLength(4);
    expect(r.code).not.toBe(0);
    expect(r.seconds).toBeLessThan(10);
    expect(r.stderr).toMatch(/rank 1 aborts the job/);
    await new Promise((res) => setTimeout(res, 300));
    expect(pids.filter((p) => alive(p.pid))).toEqual([]);
  });

  it("with 5 % loss on h1's link, streams still arrive whole, and packets really were dropped", { timeout: 90_000 }, async () => {
    hosts("up", "2", "--netem", "loss 5%", "--on", "h1");
    const r = await run("mpiexec.hydra", [...hydra, "-n", "2", ...nodeProgram(program, "ring", "20000")]);
    expect(r.code).toBe(0);
    for (const p of lines<Ring>(r.stdout)) expect(p).toMatchObject({ received: 20000, intact: true });
    const rules = spawnSync("ip", ["netns", "exec", "h1", "nft", "list", "table", "inet", "tsmpi_loss"], { encoding: "utf8" }).stdout;
    const tcRules = spawnSync("tc", ["-s", "qdisc", "show", "dev", "tsv-h1"], { encoding: "utf8" }).stdout;
    // Whichever did the dropping (netem where the kernel has it, else nftables) counted drops.
    const dropped = [...rules.matchAll(/counter packets (\d+)/g), ...tcRules.matchAll(/dropped (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
    expect(dropped).toBeGreaterThan(0);
  });
});
