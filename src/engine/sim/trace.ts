/**
 * A simulation's trace: one process per VM (named host/vm), one thread per
 * rank, compute bursts and blocked waits as slices, one arrow per message
 * from the send to its delivery, and counter tracks for every shared
 * resource (busy 0/1 and the wait the frame found), grouped under a
 * pseudo-process per host. Timestamps are virtual; with `--compute none` two
 * runs write byte-identical files.
 */
import { ownerOf } from "../../model/charge.ts";
import type { Resources } from "../../model/resources.ts";
import type { ResolvedPlacement } from "../../placement/resolved.ts";
import { ChromeTrace } from "../../trace/chrome.ts";
import type { SimObserver } from "./world.ts";

/**
 * A slice this short, ending at the moment, marks a send or a delivery so an
 * arrow has a slice to bind to; it nests inside the compute burst or wait
 * that ends there (Perfetto wants slices on a track nested, never overlapping).
 */
const MARK = 2e-9;

export function simTrace(
  placement: ResolvedPlacement,
  np: number,
  resources: Resources,
  describe: (rank: number) => string,
  metadata: Record<string, string | number>,
): { trace: ChromeTrace; observer: SimObserver } {
  const trace = new ChromeTrace(metadata);
  const vmPid = new Map<string, number>();
  const hostPid = new Map<string, number>();
  const ownerHost = new Map<string, string>();
  for (let r = 0; r < np; r++) {
    const { host, vm } = placement.of(r);
    if (!hostPid.has(host)) hostPid.set(host, hostPid.size + 1);
    const key = `${host}/${vm}`;
    if (!vmPid.has(key)) vmPid.set(key, 1000 + vmPid.size);
    ownerHost.set(vm, host);
    ownerHost.set(host, host);
    ownerHost.set(`rank${r}`, host);
  }
  for (const [host, pid] of hostPid) trace.process(pid, `${host} shared resources`, pid);
  for (const [key, pid] of vmPid) trace.process(pid, key, pid);
  const pidOf = (r: number): number => {
    const { host, vm } = placement.of(r);
    return vmPid.get(`${host}/${vm}`)!;
  };
  for (let r = 0; r < np; r++) trace.thread(pidOf(r), r, `rank ${r}`);
  resources.watch((res, arrive, start, done) => {
    const pid = hostPid.get(ownerHost.get(ownerOf(res.name)) ?? "") ?? 0;
    trace.counter(pid, res.name, start, { busy: 1, wait_us: (start - arrive) * 1e6 });
    trace.counter(pid, res.name, done, { busy: 0, wait_us: 0 });
  });
  const observer: SimObserver = {
    burst: (r, start, end) => trace.slice(pidOf(r), r, "compute", start, end, undefined, "compute"),
    wait: (r, start, end, on) => trace.slice(pidOf(r), r, "wait", start, end, { on }),
    describeWait: describe,
    message(flow, src, dst, sent, delivered, bytes) {
      trace.slice(pidOf(src), src, "send", sent - MARK, sent, { to: dst, bytes });
      trace.flowStart(flow, pidOf(src), src, sent - MARK / 2);
      trace.slice(pidOf(dst), dst, "deliver", delivered - MARK, delivered, { from: src, bytes });
      trace.flowEnd(flow, pidOf(dst), dst, delivered - MARK / 2);
    },
  };
  return { trace, observer };
}
