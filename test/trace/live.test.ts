// --trace in live runs: each rank's records of what it sent and what reached
// it are joined into one Chrome trace, one arrow per message.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { LiveTraceRecorder, liveTrace } from "../../src/trace/live.ts";

interface TraceEvent {
  ph: string;
  name: string;
  id?: number;
  pid: number;
  tid?: number;
  ts: number;
  dur?: number;
}

function flowsOf(events: TraceEvent[]): { starts: TraceEvent[]; ends: TraceEvent[] } {
  return { starts: events.filter((e) => e.ph === "s"), ends: events.filter((e) => e.ph === "f") };
}

describe("live traces", () => {
  it("pair each send with the arrival of the same message (sender, receiver, context, source, sequence)", () => {
    const a = new LiveTraceRecorder();
    const b = new LiveTraceRecorder();
    a.sent(1, 2, 0, 0, 7, 8);
    a.sent(1, 2, 0, 1, 7, 8);
    b.arrived(0, 2, 0, 0, 7, 8);
    b.sent(0, 2, 1, 0, 9, 16);
    b.arrived(0, 2, 0, 1, 7, 8);
    a.arrived(1, 2, 1, 0, 9, 16);
    const events = JSON.parse(liveTrace([a.take(), b.take()], ["vm0", "vm1"], ["host0", "host0"]).toJSON()).traceEvents as TraceEvent[];
    const { starts, ends } = flowsOf(events);
    expect(starts).toHaveLength(3);
    expect(ends.map((e) => e.id).sort()).toEqual(starts.map((e) => e.id).sort());
    // Rank 0's two sends are flows 1 and 2 in order; their heads are on rank 1's track, the third's on rank 0's.
    expect(ends.filter((e) => e.tid === 1).map((e) => e.id)).toEqual([1, 2]);
    expect(ends.filter((e) => e.tid === 0).map((e) => e.id)).toEqual([3]);
    expect(events.filter((e) => e.ph === "M" && e.name === "process_name")).toHaveLength(2);
    for (const e of events) if (e.ph !== "M") expect(e.ts).toBeGreaterThanOrEqual(0);
  });

  it("tsmpi run --trace on 8 live ranks: valid JSON, one arrow per message, marks that never overlap on a track", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "tsmpi-trace-")), "live.json");
    const bin = fileURLToPath(new URL("../../bin/tsmpi.js", import.meta.url));
    const program = fileURLToPath(new URL("../engine/sim/programs/exchange8.ts", import.meta.url));
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [bin, "run", "-n", "8", "--trace", file, program], { stdio: "ignore" });
      child.on("close", resolve);
    });
    expect(code).toBe(0);
    const events = JSON.parse(readFileSync(file, "utf8")).traceEvents as TraceEvent[];
    const { starts, ends } = flowsOf(events);
    // 3 ring steps × 8 ranks and 4 large sends at least (the allreduce may go through shared memory).
    expect(starts.length).toBeGreaterThanOrEqual(3 * 8 + 4);
    expect(new Set(starts.map((e) => e.id)).size).toBe(starts.length);
    expect(ends.map((e) => e.id).sort()).toEqual(starts.map((e) => e.id).sort());
    expect(events.filter((e) => e.name === "send")).toHaveLength(starts.length);
    expect(events.filter((e) => e.ph === "M" && e.name === "thread_name")).toHaveLength(8);
    const tracks = new Map<string, TraceEvent[]>();
    for (const e of events.filter((x) => x.ph === "X")) {
      const k = `${e.pid}:${e.tid}`;
      tracks.set(k, [...(tracks.get(k) ?? []), e]);
    }
    for (const list of tracks.values()) {
      list.sort((x, y) => x.ts - y.ts);
      for (let i = 1; i < list.length; i++) expect(list[i]!.ts).toBeGreaterThanOrEqual(list[i - 1]!.ts + list[i - 1]!.dur!);
    }
  }, 60_000);
});
