/**
 * The NIC processor thread of one VM. Two things wake it, as on the real
 * board: a doorbell (the host's Atomics.store + notify on the attention word,
 * our MMIO write) and a frame from the wire (a UDP datagram). After a doorbell
 * it keeps polling for `idlePollUs` (firmware polls its mailbox),
 * holds coalesced interrupts until their deadline, then sleeps. A 1 ms timer
 * drives retransmission and delayed ACKs.
 */
import { createSocket } from "node:dgram";
import { parentPort, workerData } from "node:worker_threads";
import { bindThread } from "../../src/transport/affinity.ts";
import { nowMs } from "./costs.ts";
import { G_ATTENTION, G_NIC_SLEEPING, G_STOP } from "./layout.ts";
import type { NicWorkerData } from "./nic.ts";
import { NicEngine } from "./nic-engine.ts";
import { FaultyWire } from "./wire.ts";

const data = workerData as NicWorkerData;
const bound = bindThread(data.settings, data.slot, `NIC thread of ${data.vm}`);
if (bound) console.error(bound);
const ctl = new Int32Array(data.shared.control);
const socket = createSocket({ type: "udp4", recvBufferSize: 8 * 1024 * 1024, sendBufferSize: 8 * 1024 * 1024 });
const wire = new FaultyWire((frame, port, address) => socket.send(frame, port, address), data.faults, data.stream);
const engine = new NicEngine(data.shared, (frame, port, address) => wire.send(frame, port, address));
const idleMs = data.shared.profile.idlePollUs / 1000;
let seen = Atomics.load(ctl, G_ATTENTION);
let stopped = false;

/** Doorbells, then coalesced interrupts whose deadline is near: spin for them (timers are too coarse). */
function work(started: number, idlePoll = false): void {
  for (;;) {
    const a = Atomics.load(ctl, G_ATTENTION);
    if (a !== seen) {
      seen = a;
      engine.doorbells();
    }
    const due = engine.interrupts();
    if (due === 0) break;
    while (nowMs() < due && Atomics.load(ctl, G_ATTENTION) === seen) {
      // Spin until the coalescing deadline or a new doorbell.
    }
  }
  const finished = nowMs();
  engine.counters.add("busyMicroseconds", (finished - started) * 1000);
  if (!idlePoll) return;
  // After a doorbell, keep polling the mailbox a little before sleeping: hosts often post in bursts.
  const idleUntil = finished + idleMs;
  while (nowMs() < idleUntil) {
    if (Atomics.load(ctl, G_ATTENTION) !== seen) {
      work(nowMs(), true);
      return;
    }
  }
}

async function doorbellLoop(): Promise<void> {
  while (!stopped && Atomics.load(ctl, G_STOP) === 0) {
    Atomics.store(ctl, G_NIC_SLEEPING, 1);
    const r = Atomics.waitAsync(ctl, G_ATTENTION, seen);
    if (r.async) await r.value;
    Atomics.store(ctl, G_NIC_SLEEPING, 0);
    if (Atomics.load(ctl, G_STOP) !== 0) break;
    work(nowMs(), true);
  }
  stop();
}

function stop(): void {
  if (stopped) return;
  stopped = true;
  clearInterval(timer);
  socket.close();
}

socket.on("message", (frame, rinfo) => {
  const t = nowMs();
  engine.receive(frame, rinfo.port, rinfo.address);
  work(t);
});

const timer = setInterval(() => {
  const t = nowMs();
  wire.release();
  engine.tick(t);
  engine.counters.set("wireDropped", wire.counters.dropped);
  engine.counters.set("wireDuplicated", wire.counters.duplicated);
  engine.counters.set("wireReordered", wire.counters.reordered);
  work(t);
}, 1);

socket.bind(0, data.bind, () => {
  const a = socket.address();
  parentPort!.postMessage({ type: "ready", port: a.port, address: a.address });
  void doorbellLoop();
});
