/**
 * The second mapping engine: Scotch's static mapper (`scotch_gmap`, Debian
 * package `scotch`), driven as a subprocess with the profile as a source
 * graph and the machine as a tree-leaf (`tleaf`) target: hosts, then VMs,
 * then slots, each level with a link cost. In a tleaf, two leaves that part
 * at level i are the sum of the link costs of levels i and below apart, so the
 * costs are the differences between our level costs.
 *
 * Scotch wants one integer weight per edge and per level, where our costs
 * price messages and bytes separately per level; so an edge weighs its cost
 * across hosts, and the level costs are the profile's total cost at each
 * level relative to its total across hosts (exact when every pair mixes
 * messages and bytes alike, an approximation otherwise). Scotch knows nothing
 * of shared-resource load; that is what the built-in mapper adds.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MpiError } from "../../errors.ts";
import { type PathCosts, levelCoefficients } from "./costs.ts";
import type { CommGraph } from "./graph.ts";
import { type Machine, levelBetween, vmCount, vmSizes } from "./machine.ts";

const EDGE_SCALE = 100_000;
const DISTANCE_SCALE = 1000;

export interface ScotchResult {
  vmOf: Int32Array;
  /** Ranks moved afterwards because Scotch filled a VM beyond its exact size. */
  repaired: number;
  /** Scotch's own mapping report (-vm), for the record. */
  log: string;
}

/** Source graph in Scotch's .grf format (base 0, edge weights). */
export function scotchGraph(g: CommGraph, edgeCost: (e: number) => number): string {
  let max = 0;
  for (let e = 0; e < g.adj.length; e++) max = Math.max(max, edgeCost(e));
  const lines = ["0", `${g.n} ${g.adj.length}`, "0 010"];
  for (let v = 0; v < g.n; v++) {
    const row = [String(g.xadj[v + 1]! - g.xadj[v]!)];
    for (let e = g.xadj[v]!; e < g.xadj[v + 1]!; e++)
      row.push(String(max === 0 ? 1 : Math.max(1, Math.round((edgeCost(e) / max) * EDGE_SCALE))), String(g.adj[e]!));
    lines.push(row.join(" "));
  }
  return `${lines.join("\n")}\n`;
}

/** `tleaf 3 hosts c0 vms c1 slots c2` from the profile's total cost at each level. */
export function scotchTarget(g: CommGraph, m: Machine, costs: PathCosts): string {
  const coef = levelCoefficients(costs);
  const total = [0, 0, 0];
  for (let e = 0; e < g.adj.length; e++) for (let l = 0; l < 3; l++) total[l]! += g.messages[e]! * coef[l]!.perMessage + g.bytes[e]! * coef[l]!.perByte;
  // With no traffic at all any mapping is as good; keep the levels ordered anyway.
  const d = total[2]! > 0 ? total.map((t) => (t / total[2]!) * DISTANCE_SCALE) : [1, 2, 3].map((x) => (x * DISTANCE_SCALE) / 3);
  const link = (x: number): number => Math.max(1, Math.round(x));
  return `tleaf 3 ${m.hosts} ${link(d[2]! - d[1]!)} ${m.vmsPerHost} ${link(d[1]! - d[0]!)} ${m.slots} ${link(d[0]!)}\n`;
}

/** Scotch maps a 32 k-rank profile in about 13 s (research, §B.2); far beyond that it is stuck. */
const TIMEOUT_MS = 120_000;

function run(command: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    // One thread: Scotch 7.0.3's thread pool was seen to deadlock in a futex on this loaded 2-core machine,
    // and the study runs several mappings side by side anyway.
    const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, SCOTCH_PTHREAD_NUMBER: "1" } });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new MpiError("ERR_PLACEMENT", `${command} gave no mapping within ${TIMEOUT_MS / 1000} s and was stopped; try --mapper builtin`));
    }, TIMEOUT_MS);
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (e.code === "ENOENT")
        reject(
          new MpiError(
            "ERR_PLACEMENT",
            `--mapper scotch needs ${command}, which is not installed; install Debian's "scotch" package (apt-get install scotch) or use --mapper builtin`,
          ),
        );
      else reject(e);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

/** Move ranks out of over-full VMs into under-full ones, each time the move that costs least. */
function repair(g: CommGraph, vmOf: Int32Array, m: Machine, costs: PathCosts): number {
  const sizes = vmSizes(g.n, m);
  const count = new Array<number>(vmCount(m)).fill(0);
  for (const v of vmOf) count[v]!++;
  const coef = levelCoefficients(costs);
  const cost = (e: number, vmA: number, vmB: number): number => {
    const l = levelBetween(m, vmA, vmB);
    return g.messages[e]! * coef[l]!.perMessage + g.bytes[e]! * coef[l]!.perByte;
  };
  let moved = 0;
  for (;;) {
    const under = count.flatMap((c, v) => (c < sizes[v]! ? [v] : []));
    if (under.length === 0) return moved;
    let best = { gain: Number.NEGATIVE_INFINITY, r: -1, to: -1 };
    for (let r = 0; r < g.n; r++) {
      const from = vmOf[r]!;
      if (count[from]! <= sizes[from]!) continue;
      for (const to of under) {
        let gain = 0;
        for (let e = g.xadj[r]!; e < g.xadj[r + 1]!; e++) gain += cost(e, from, vmOf[g.adj[e]!]!) - cost(e, to, vmOf[g.adj[e]!]!);
        if (gain > best.gain) best = { gain, r, to };
      }
    }
    count[vmOf[best.r]!]!--;
    count[best.to]!++;
    vmOf[best.r] = best.to;
    moved++;
  }
}

/** Map with scotch_gmap; `command` overrides the program (tests use it to show the missing-tool error). */
export async function scotchMap(g: CommGraph, m: Machine, costs: PathCosts, command = "scotch_gmap"): Promise<ScotchResult> {
  vmSizes(g.n, m); // the same checks and messages as the built-in mapper
  const dir = mkdtempSync(join(tmpdir(), "tsmpi-scotch-"));
  try {
    const coef = levelCoefficients(costs);
    writeFileSync(
      join(dir, "profile.grf"),
      scotchGraph(g, (e) => g.messages[e]! * coef[2]!.perMessage + g.bytes[e]! * coef[2]!.perByte),
    );
    writeFileSync(join(dir, "machine.tgt"), scotchTarget(g, m, costs));
    // -cb: enforce load balance (one rank per slot); -Cf: a fixed seed, so a profile always maps the same way.
    const args = [join(dir, "profile.grf"), join(dir, "machine.tgt"), join(dir, "out.map"), join(dir, "log.txt"), "-cb", "-Cf", "-vm"];
    const { code, stderr } = await run(command, args);
    if (code !== 0) throw new MpiError("ERR_PLACEMENT", `${command} failed (exit ${code}): ${stderr.trim()}; try --mapper builtin`);
    const lines = readFileSync(join(dir, "out.map"), "utf8").trim().split(/\s+/).map(Number);
    const vmOf = new Int32Array(g.n).fill(-1);
    for (let i = 1; i + 1 < lines.length; i += 2) vmOf[lines[i]!] = Math.floor(lines[i + 1]! / m.slots);
    if (vmOf.some((v) => v < 0 || v >= vmCount(m))) throw new MpiError("ERR_PLACEMENT", `${command} left ranks unmapped; try --mapper builtin`);
    const repaired = repair(g, vmOf, m, costs);
    return { vmOf, repaired, log: readFileSync(join(dir, "log.txt"), "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
