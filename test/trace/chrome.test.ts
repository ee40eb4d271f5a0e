import { describe, expect, it } from "vitest";
import { ChromeTrace } from "../../src/trace/chrome.ts";

function sample(): ChromeTrace {
  const t = new ChromeTrace({ model: "sriov" });
  t.process(1, "h0/vm0");
  t.process(0, "h0 resources");
  t.thread(1, 0, "rank 0");
  t.thread(1, 1, "rank 1");
  t.slice(1, 0, "compute", 0, 1e-6, undefined, "compute");
  t.slice(1, 0, "send", 1e-6, 2e-6, { peer: 1, tag: 0, bytes: 8 });
  t.flowStart(7, 1, 0, 1.5e-6);
  t.slice(1, 1, "recv", 0, 9e-6, { peer: 0, tag: 0 });
  t.flowEnd(7, 1, 1, 8.9e-6);
  t.counter(0, "bridge@h0", 1.2e-6, { backlog_us: 3 });
  return t;
}

describe("Chrome trace-event JSON", () => {
  it("is valid JSON with named processes and threads, slices, a flow pair and counters", () => {
    const json = JSON.parse(sample().toJSON());
    const events = json.traceEvents as Record<string, unknown>[];
    expect(events.filter((e) => e.ph === "M" && e.name === "process_name").map((e) => (e.args as { name: string }).name)).toEqual(["h0 resources", "h0/vm0"]);
    expect(events.filter((e) => e.ph === "M" && e.name === "thread_name")).toHaveLength(2);
    const send = events.find((e) => e.name === "send")!;
    expect(send).toMatchObject({ ph: "X", pid: 1, tid: 0, ts: 1, dur: 1, args: { peer: 1, tag: 0, bytes: 8 } });
    const flows = events.filter((e) => e.cat === "message");
    expect(flows.map((e) => e.ph)).toEqual(["s", "f"]);
    expect(flows[0]!.id).toBe(flows[1]!.id);
    expect(flows[1]!.bp).toBe("e");
    expect(events.find((e) => e.ph === "C")).toMatchObject({ name: "bridge@h0", pid: 0, args: { backlog_us: 3 } });
    expect(json.otherData).toEqual({ model: "sriov" });
  });

  it("sorts events by time and is byte-identical for the same records", () => {
    const a = sample().toJSON();
    expect(sample().toJSON()).toBe(a);
    const ts = (JSON.parse(a).traceEvents as { ph: string; ts?: number }[]).filter((e) => e.ph !== "M").map((e) => e.ts!);
    expect(ts).toEqual([...ts].sort((x, y) => x - y));
  });

  it("rounds to the nanosecond so float noise does not change the file", () => {
    const a = new ChromeTrace();
    a.slice(0, 0, "x", 0.1 + 0.2, 0.6);
    const b = new ChromeTrace();
    b.slice(0, 0, "x", 0.3, 0.6);
    expect(a.toJSON()).toBe(b.toJSON());
  });
});
