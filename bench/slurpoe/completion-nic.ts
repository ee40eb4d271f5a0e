/**
 * The NIC side of completion-latency.ts (a worker thread started through
 * transports/slurpoe/nic-entry.js): every few hundred µs it stamps the time
 * and writes one completion through the real NicEngine, which raises the
 * interrupt (after its coalescing delay) when the host armed its queue.
 */
import { workerData } from "node:worker_threads";
import { spinUntil } from "../../transports/slurpoe/costs.ts";
import { seededRandom } from "../lib/random.ts";
import { Completion } from "../../transports/slurpoe/layout.ts";
import { NicEngine, type NicShared } from "../../transports/slurpoe/nic-engine.ts";

const data = workerData as { shared: NicShared; stamps: SharedArrayBuffer; turn: SharedArrayBuffer; count: number };
const turn = new Int32Array(data.turn);
const engine = new NicEngine(data.shared, () => {});
const stamps = new Float64Array(data.stamps);
const pause = new Int32Array(new SharedArrayBuffer(4));
const random = seededRandom(12345);
for (let i = 0; i < data.count; i++) {
  // The host says when it is ready for completion i (it consumed the previous one).
  for (let t = Atomics.load(turn, 0); t <= i; t = Atomics.load(turn, 0)) Atomics.wait(turn, 0, t, 100);
  // 200-500 µs apart, so the host is settled (sleeping or spinning) before each completion.
  Atomics.wait(pause, 0, 0, 0.2 + random() * 0.3);
  stamps[i] = performance.timeOrigin + performance.now();
  engine.complete(0, Completion.RECEIVE, 1, 0, 0, 0);
  // Coalescing: hold the interrupt until its deadline, as the NIC thread does.
  for (let due = engine.interrupts(); due !== 0; due = engine.interrupts()) spinUntil(due);
}
