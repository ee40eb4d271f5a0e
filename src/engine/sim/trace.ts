/**
 * A simulation's trace: one process per VM (named host/vm), one thread per
 * rank, each MPI call (named as the call: "allreduce", "send"), each compute
 * burst and each blocked wait as slices, one arrow per message
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
 * A slice this short marks a send or a delivery so an arrow has a slice to
 * bind to (Perfetto wants slices on a track nested, never overlapping): a
 * send's starts at the moment, inside the call that sent (which lasts at
 * least the sender's overhead); a delivery's ends at the moment, inside the
 * wait or burst that ends there.
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
    call: (r, name, start, end) => trace.slice(pidOf(r), r, name, start, end),
    wait: (r, start, end, on) => trace.slice(pidOf(r), r, "wait", start, end, { on }),
    describeWait: describe,
    message(flow, src, dst, sent, delivered, bytes) {
      trace.slice(pidOf(src), src, "message out", sent, sent + MARK, { to: dst, bytes }, "arrow");
      trace.flowStart(flow, pidOf(src), src, sent + MARK / 2);
      trace.slice(pidOf(dst), dst, "message in", delivered - MARK, delivered, { from: src, bytes }, "arrow");
      trace.flowEnd(flow, pidOf(dst), dst, delivered - MARK / 2);
    },
  };
  return { trace, observer };
}
