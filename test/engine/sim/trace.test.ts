import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Comm } from "../../../src/api/comm.ts";
import type { MainFunction } from "../../../src/engine/program.ts";
import { runSim } from "../../../src/engine/sim/run-sim.ts";
import { ResolvedPlacement } from "../../../src/placement/resolved.ts";
import exchange8 from "./programs/exchange8.ts";

interface TraceEvent {
  ph: string;
  name: string;
  cat?: string;
  pid: number;
  tid?: number;
  ts: number;
  dur?: number;
  id?: number;
}

/** Run exchange8 on 8 ranks (2 hosts × 2 VMs, bridged), traced; the trace's text and the messages every rank sent. */
async function traced(dir: string, name: string, computeScale: number): Promise<{ text: string; messages: number }> {
  const file = join(dir, name);
  // Two ranks per VM, two VMs per host, two hosts: ranks 2k and 2k + 1 share VM k.
  const hosts = ["h0", "h0", "h0", "h0", "h1", "h1", "h1", "h1"];
  const vms = ["v0", "v0", "v1", "v1", "v2", "v2", "v3", "v3"];
  const placement = ResolvedPlacement.fromPairs(hosts, vms, (x, y) => (x === y ? "self" : vms[x] === vms[y] ? "shm" : "bridged"));
  const results = await runSim({ np: 8, main: exchange8 as MainFunction, model: "xen-bridged", placement, computeScale, traceFile: file, profile: true });
  const bad = results.find((r) => !r.ok);
  if (bad) throw new Error(`rank ${bad.rank}: ${bad.error}`);
  const messages = results.reduce((sum, r) => sum + r.sent!.messages.reduce((a, b) => a + b, 0), 0);
  return { text: readFileSync(file, "utf8"), messages };
}

/** Slices on one track that overlap without nesting (Perfetto would misdraw them), as "a/b" name pairs. */
function overlaps(events: TraceEvent[]): string[] {
  const tracks = new Map<string, TraceEvent[]>();
  for (const e of events) if (e.ph === "X") tracks.set(`${e.pid}:${e.tid}`, [...(tracks.get(`${e.pid}:${e.tid}`) ?? []), e]);
  const bad: string[] = [];
  for (const slices of tracks.values()) {
    const open: { name: string; end: number }[] = [];
    for (const s of slices) {
      const end = s.ts + s.dur!;
      // Times are microseconds to the nanosecond; sums of them carry float noise.
      while (open.length > 0 && open[open.length - 1]!.end <= s.ts + 1e-6) open.pop();
      const top = open[open.length - 1];
      if (top && end > top.end + 1e-6) bad.push(`${top.name}/${s.name}`);
      open.push({ name: s.name, end });
    }
  }
  return bad;
}

describe("--trace in the simulator", () => {
  it("a slice per MPI call on every rank, one arrow per message, nested slices, byte-identical for two --compute none runs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsmpi-trace-"));
    const a = await traced(dir, "a.json", 0);
    const b = await traced(dir, "b.json", 0);
    expect(b.text).toBe(a.text);
    const events = JSON.parse(a.text).traceEvents as TraceEvent[];
    for (let rank = 0; rank < 8; rank++) {
      const calls = events.filter((e) => e.ph === "X" && e.tid === rank && e.cat === "mpi" && e.name !== "wait").map((e) => e.name);
      // exchange8: three sendrecv steps, an allreduce, then even ranks send and odd ranks receive.
      expect(calls).toEqual(["sendrecv", "sendrecv", "sendrecv", "allreduce", rank % 2 === 0 ? "send" : "recv"]);
    }
    const starts = events.filter((e) => e.ph === "s");
    const ends = events.filter((e) => e.ph === "f");
    expect(starts.length).toBe(a.messages);
    expect(new Set(starts.map((e) => e.id)).size).toBe(starts.length);
    expect(ends.map((e) => e.id).sort()).toEqual(starts.map((e) => e.id).sort());
    expect(overlaps(events)).toEqual([]);
    expect(events.some((e) => e.ph === "C" && e.name.startsWith("bridge@"))).toBe(true);
  });

  it("charged compute bursts are slices between the calls, nested with them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsmpi-trace-"));
    const { text } = await traced(dir, "c.json", 1);
    const events = JSON.parse(text).traceEvents as TraceEvent[];
    for (let rank = 0; rank < 8; rank++) expect(events.some((e) => e.ph === "X" && e.tid === rank && e.name === "compute" && e.dur! > 0)).toBe(true);
    expect(overlaps(events)).toEqual([]);
  });

  it("a communicator a call returns is traced too", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsmpi-trace-"));
    const file = join(dir, "split.json");
    const main = async (world: Comm): Promise<void> => {
      const half = await world.split(world.rank % 2);
      await half!.barrier();
    };
    const results = await runSim({ np: 4, main: main as MainFunction, computeScale: 0, traceFile: file });
    expect(results.every((r) => r.ok)).toBe(true);
    const events = JSON.parse(readFileSync(file, "utf8")).traceEvents as TraceEvent[];
    for (let rank = 0; rank < 4; rank++) {
      const calls = events.filter((e) => e.ph === "X" && e.tid === rank && e.cat === "mpi" && e.name !== "wait").map((e) => e.name);
      expect(calls).toEqual(["split", "barrier"]);
    }
  });
});
