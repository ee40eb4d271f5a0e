import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Comm } from "../../../src/api/comm.ts";
import { Op } from "../../../src/coll/op.ts";
import { ANY_SOURCE } from "../../../src/constants.ts";
import { runSim, type SimStats } from "../../../src/engine/sim/run-sim.ts";
import { launch } from "../../../src/launcher/launch.ts";
import { halfRoundTrip } from "../../../src/launcher/validate.ts";
import { loadModel } from "../../../src/model/load.ts";
import type { MainFunction } from "../../../src/engine/program.ts";
import { ResolvedPlacement } from "../../../src/placement/resolved.ts";

const LOGGP = "loggp:L=10e-6,o=1e-6,g=0,G=1e-9";
/** 2o + L + 7G: an 8-byte message under LOGGP. */
const EIGHT_BYTES = 2e-6 + 10e-6 + 7e-9;

async function values<T>(
  np: number,
  main: (w: Comm) => Promise<T>,
  options: Parameters<typeof runSim>[0] extends infer O ? Partial<O> : never = {},
): Promise<T[]> {
  const results = await runSim({ np, main: main as MainFunction, ...options });
  const bad = results.find((r) => !r.ok);
  if (bad) throw new Error(`rank ${bad.rank}: ${bad.error}`);
  return results.map((r) => r.value as T);
}

const bin = fileURLToPath(new URL("../../../bin/tsmpi.js", import.meta.url));
const program = (name: string): string => fileURLToPath(new URL(`./programs/${name}`, import.meta.url));

function cli(args: string[]): Promise<{ code: number | null; stderr: string; seconds: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("close", (code) => resolve({ code, stderr, seconds: (performance.now() - started) / 1000 }));
  });
}

describe("virtual time under the LogGOPS model", () => {
  it("a 1000-iteration 8 B ping-pong measures a half round trip of 2o + L + 7G (within 1%)", async () => {
    const half = await halfRoundTrip(ResolvedPlacement.singleVm(2), loadModel(LOGGP), 8, 1000);
    expect(Math.abs(half / EIGHT_BYTES - 1)).toBeLessThan(0.01);
  });

  it("a ring of sendrecv on 16 ranks takes the same per step", async () => {
    const steps = await values(
      16,
      async (w) => {
        const buf = new Float64Array(1);
        await w.barrier();
        const t0 = w.wtime();
        for (let i = 0; i < 100; i++) await w.sendrecv(buf, (w.rank + 1) % 16, 0, (w.rank + 15) % 16, 0);
        return (w.wtime() - t0) / 100;
      },
      { model: LOGGP, computeScale: 0 },
    );
    for (const s of steps) expect(Math.abs(s / EIGHT_BYTES - 1)).toBeLessThan(0.01);
  });

  it("a rendezvous above S costs one more round trip of empty messages", async () => {
    const time = async (bytes: number): Promise<number> =>
      (
        await values(
          2,
          async (w) => {
            const t0 = w.wtime();
            if (w.rank === 0) await w.send(new Uint8Array(bytes), 1, 0);
            else await w.recv(0, 0);
            return w.wtime() - t0;
          },
          { model: `${LOGGP},S=1000`, computeScale: 0 },
        )
      )[1]!;
    const eager = await time(1000);
    const rendezvous = await time(1001);
    // Request-to-send and clear-to-send, each o + L + o, before the data.
    expect(rendezvous - eager).toBeCloseTo(2 * (2e-6 + 10e-6) + 1e-9, 9);
  });
});

/** Five gaps between sends, each around `compute()`; returns them in virtual seconds. */
async function computeGaps(compute: () => void, options: Partial<Parameters<typeof runSim>[0]>): Promise<number[]> {
  const [gaps] = await values(
    2,
    async (w) => {
      const marks: number[] = [];
      for (let i = 0; i < 6; i++) {
        if (w.rank === 1) {
          await w.recv(0, i);
          continue;
        }
        marks.push(w.wtime());
        if (i < 5) compute();
        await w.send(i, 1, i);
      }
      return marks.slice(1).map((t, i) => t - marks[i]!);
    },
    { model: "sriov", ...options },
  );
  return gaps as number[];
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

describe("compute bursts", () => {
  for (const scale of [1, 0.5]) {
    it(`20 ms of computing between two sends advances the virtual clock by 20 ms × ${scale} (±30%; CPU clock)`, async () => {
      // Burn 20 ms of CPU: measured on the CPU clock, steady however loaded the machine is.
      const gaps = await computeGaps(
        () => {
          const until = cpuMs() + 20;
          while (cpuMs() < until) {
            // compute
          }
        },
        { computeScale: scale, computeClock: cpuMs },
      );
      const median = [...gaps].sort((a, b) => a - b)[2]!;
      expect(median / (0.02 * scale)).toBeGreaterThan(0.7);
      expect(median / (0.02 * scale)).toBeLessThan(1.3);
    });

    it(`20 ms of wall time between two sends advances the virtual clock by at least 20 ms × ${scale} × 0.7 (wall clock)`, async () => {
      // On the wall clock a thread descheduled mid-burst is charged for the wait too, so a loaded
      // machine inflates bursts: only the shortest of five is compared, and only from below.
      const gaps = await computeGaps(
        () => {
          const until = performance.now() + 20;
          while (performance.now() < until) {
            // compute
          }
        },
        { computeScale: scale },
      );
      const shortest = Math.min(...gaps);
      expect(shortest / (0.02 * scale)).toBeGreaterThan(0.7);
      expect(shortest / (0.02 * scale)).toBeLessThan(5);
    });
  }
});

describe("deadlock and determinism", () => {
  it("two ranks that both receive first: non-zero within 5 s, naming both ranks and their receives", async () => {
    const r = await cli(["run", "-n", "2", "--engine", "sim", program("recv-first.ts")]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/ERR_DEADLOCK/);
    expect(r.stderr).toMatch(/rank 0 waits on recv\(source 1, tag 7\)/);
    expect(r.stderr).toMatch(/rank 1 waits on recv\(source 0, tag 7\)/);
    // The job's own time (the CLI adds Node's start-up, seconds on a loaded machine).
    const job = await launch({ np: 2, program: program("recv-first.ts"), engine: "sim", stderr: () => {} });
    expect(job.ok).toBe(false);
    expect(job.seconds).toBeLessThan(5);
    expect(job.failure).toMatch(/rank 0 waits on recv\(source 1, tag 7\)/);
  });

  it("ANY_SOURCE matches in virtual arrival order, not in the order ranks ran", async () => {
    // Rank 3 shares rank 0's VM (shared memory), rank 2 its host (through dom0), rank 1 is on another host.
    const placement = ResolvedPlacement.fromPairs(["h0", "h1", "h0", "h0"], ["v0", "v1", "v2", "v0"], (a, b) =>
      a === b ? "self" : ["v0", "v1", "v2", "v0"][a] === ["v0", "v1", "v2", "v0"][b] ? "shm" : "bridged",
    );
    const [order] = await values(
      4,
      async (w) => {
        if (w.rank !== 0) {
          await w.send(w.rank, 0, 0);
          return [];
        }
        const got: number[] = [];
        for (let i = 0; i < 3; i++) got.push((await w.recv(ANY_SOURCE, 0)).source);
        return got;
      },
      { model: "xen-bridged", computeScale: 0, placement },
    );
    expect(order).toEqual([3, 2, 1]);
  });

  it("--trace on 8 ranks: valid trace JSON, one arrow per message, identical for two --compute none runs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsmpi-trace-"));
    const files = [join(dir, "a.json"), join(dir, "b.json")];
    for (const f of files) {
      const r = await cli([
        "run",
        "-n",
        "8",
        "--engine",
        "sim",
        "--hosts",
        "2",
        "--vms-per-host",
        "2",
        "--transport",
        "bridged",
        "--model",
        "xen-bridged",
        "--compute",
        "none",
        "--trace",
        f,
        program("exchange8.ts"),
      ]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
    }
    const text = readFileSync(files[0]!, "utf8");
    expect(readFileSync(files[1]!, "utf8")).toBe(text);
    const events = JSON.parse(text).traceEvents as { ph: string; id?: number; name: string; cat?: string; pid: number }[];
    const starts = events.filter((e) => e.ph === "s");
    const ends = events.filter((e) => e.ph === "f");
    expect(starts.length).toBeGreaterThan(0);
    expect(new Set(starts.map((e) => e.id)).size).toBe(starts.length);
    expect(ends.map((e) => e.id).sort()).toEqual(starts.map((e) => e.id).sort());
    // Messages the program sent: 3 ring steps × 8, 4 large sends, plus the allreduce's.
    expect(starts.length).toBeGreaterThanOrEqual(3 * 8 + 4);
    expect(events.filter((e) => e.ph === "M" && e.name === "thread_name")).toHaveLength(8);
    expect(events.some((e) => e.ph === "C" && e.name.startsWith("bridge@"))).toBe(true);
  });
});

describe("--stats", () => {
  it("--stats prints the simulator's figures and --manifest records them under sim", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "tsmpi-manifest-")), "m.json");
    const r = await cli(["run", "-n", "8", "--engine", "sim", "--compute", "none", "--stats", "--manifest", file, program("exchange8.ts")]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/virtual time [\d.e-]+ s, \d+ events, \d+ frames in [\d.]+ s wall \(\d+ frames\/s\), peak RSS [\d.]+ MiB \(\d+ KiB per rank\)/);
    expect(r.stderr).toMatch(/start-up \(opening \d+ ranks\) [\d.]+ s of the wall time; after it \d+ frames\/s/);
    const m = JSON.parse(readFileSync(file, "utf8"));
    expect(Object.keys(m.sim).sort()).toEqual(["events", "frames", "model", "peakRssBytes", "virtualSeconds", "wallSeconds"]);
    expect(m.sim.frames).toBeGreaterThan(0);
    expect(m.sim.virtualSeconds).toBeGreaterThan(0);
  });

  it("reports virtual time, events, frames and memory", async () => {
    let stats: SimStats | undefined;
    const sums = await values(4, (w) => w.allreduce(1, Op.SUM), {
      model: "sriov",
      computeScale: 0,
      onStats: (s) => {
        stats = s;
      },
    });
    expect(sums).toEqual([4, 4, 4, 4]);
    expect(stats!.virtualSeconds).toBeGreaterThan(0);
    expect(stats!.frames).toBeGreaterThan(0);
    expect(stats!.events).toBeGreaterThanOrEqual(stats!.frames);
    expect(stats!.peakRssBytes).toBeGreaterThan(0);
    // The wall time splits into opening the ranks and simulating them.
    expect(stats!.startupSeconds).toBeGreaterThan(0);
    expect(stats!.startupSeconds).toBeLessThan(stats!.wallSeconds);
  });
});
