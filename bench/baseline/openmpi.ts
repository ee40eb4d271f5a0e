/**
 * Open MPI's figure beside tsmpi's: finds mpicc/mpirun, compiles
 * osu_openmpi.c into results/ (binaries are never committed), picks the
 * shared-memory BTL this Open MPI has (`vader` up to 4.x, `sm` from 5.0 —
 * read from `ompi_info`), and runs two ranks on it with the ob1 PML, so the
 * path measured is Open MPI's shared-memory transport and not UCX or TCP.
 * When Open MPI is not installed (CI machines) it says so and the runner
 * carries on without it.
 */
import { execFile, execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { promisify } from "node:util";
import type { P2pResult, SizeResult } from "../lib/results.ts";
import { stamp } from "../lib/stamp.ts";
import { summarize } from "../lib/stats.ts";

const run = promisify(execFile);

export interface OpenMpi {
  binary: string;
  /** The shared-memory BTL's name in this version. */
  btl: string;
  version: string;
  /** The mpirun arguments used (recorded with the results). */
  mpirunArgs: string[];
}

export interface OpenMpiStep {
  bytes: number;
  latencyIterations: number;
  bandwidthWindows: number;
}

function output(cmd: string, args: string[]): string | undefined {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 30_000 });
  } catch {
    return undefined;
  }
}

/** Picks the shared-memory BTL named in `ompi_info` output: `vader` (Open MPI ≤ 4) or `sm` (5.x). */
export function sharedMemoryBtl(ompiInfo: string): string | undefined {
  const btls = [...ompiInfo.matchAll(/MCA btl:\s*(\w+)/g)].map((m) => m[1]!);
  if (btls.includes("vader")) return "vader";
  if (btls.includes("sm")) return "sm";
  return undefined;
}

/** Compiles the baseline, or explains why Open MPI cannot be used here. */
export function prepareOpenMpi(resultsDir: string): OpenMpi | { missing: string } {
  if (output("mpicc", ["--showme:version"]) === undefined && output("mpicc", ["--version"]) === undefined) return { missing: "mpicc not found" };
  if (output("mpirun", ["--version"]) === undefined) return { missing: "mpirun not found" };
  const info = output("ompi_info", []);
  if (info === undefined) return { missing: "ompi_info not found (mpirun is not Open MPI?)" };
  const btl = sharedMemoryBtl(info);
  if (!btl) return { missing: "this Open MPI has neither the vader nor the sm BTL" };
  const version = /Open MPI:\s*(\S+)/.exec(info)?.[1] ?? "unknown";
  mkdirSync(resultsDir, { recursive: true });
  const binary = resolve(resultsDir, "osu_openmpi");
  const source = new URL("./osu_openmpi.c", import.meta.url).pathname;
  try {
    execFileSync("mpicc", ["-O2", "-o", binary, source], { stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 });
  } catch (e) {
    return { missing: `mpicc failed: ${(e as { stderr?: Buffer }).stderr?.toString().trim() ?? String(e)}` };
  }
  const mpirunArgs = ["--allow-run-as-root", "--oversubscribe", "-np", "2", "--bind-to", "none", "--mca", "pml", "ob1", "--mca", "btl", `self,${btl}`];
  return { binary, btl, version, mpirunArgs };
}

interface RawRows {
  latencyUs: { bytes: number; iterations: number; samples: number[] }[];
  bandwidthMBps: { bytes: number; iterations: number; samples: number[] }[];
  bibwMBps: { bytes: number; iterations: number; samples: number[] }[];
}

export async function runOpenMpi(ompi: OpenMpi, steps: readonly OpenMpiStep[], repeats: number, window: number): Promise<P2pResult> {
  const args = [
    ...ompi.mpirunArgs,
    ompi.binary,
    String(repeats),
    String(window),
    ...steps.map((s) => `${s.bytes}:${s.latencyIterations}:${s.bandwidthWindows}`),
  ];
  const { stdout } = await run("mpirun", args, { maxBuffer: 64 << 20, timeout: 600_000 });
  const line = stdout.split("\n").find((l) => l.startsWith("{"));
  if (!line) throw new Error(`Open MPI baseline printed no result; output was:\n${stdout}`);
  const raw = JSON.parse(line) as RawRows;
  const rows = (list: RawRows["latencyUs"]): SizeResult[] => list.map((r) => ({ bytes: r.bytes, iterations: r.iterations, ...summarize(r.samples) }));
  return {
    source: "openmpi",
    stamp: stamp(),
    np: 2,
    transport: `Open MPI ${ompi.version} ob1 + btl ${ompi.btl}`,
    mode: "pair",
    repeats,
    window,
    latencyUs: rows(raw.latencyUs),
    bandwidthMBps: rows(raw.bandwidthMBps),
    bibwMBps: rows(raw.bibwMBps),
    notes: { command: ["mpirun", ...args.slice(0, ompi.mpirunArgs.length + 1)].join(" ") },
  };
}
