// One side of the raw SharedArrayBuffer baseline (bench/baseline/sab-pingpong.ts).
// Plain JavaScript on purpose: no tsmpi, no loader, nothing between the
// benchmark loop and Atomics. Each direction has a ring of equal slots in the
// shared buffer; a message is one copy in (sender) and one copy out
// (receiver) -- the copies a tsmpi rank makes for an eager message -- and the
// only signalling is Atomics.store / Atomics.load on the ring's counters
// (pure spin, no sleeping: the fastest a two-thread handoff can be).
import { parentPort, workerData } from "node:worker_threads";

const { sab, side, regionBytes, plan, window, payloadOffset } = workerData;
const other = 1 - side;
// Control words: [head(dir0), tail(dir0), head(dir1), tail(dir1), arrive(side0), arrive(side1)].
// Direction d carries messages from side d to side 1 - d.
const ctrl = new Int32Array(sab, 0, 16);
const HEAD = (d) => 2 * d;
const TAIL = (d) => 2 * d + 1;
const ARRIVE = (s) => 4 + s;
// payloadOffset shifts every slot off 8-byte alignment when asked: V8 copies
// between a SharedArrayBuffer and an ordinary buffer word by word only when
// both sides share their alignment mod 8, and byte by byte otherwise.
const region = (d) => new Uint8Array(sab, 64 + d * (regionBytes + 64) + payloadOffset, regionBytes);
const outRing = region(side);
const inRing = region(other);

let sent = 0; // messages this side published on its outgoing ring
let received = 0; // messages this side consumed from its incoming ring
let outPos = 0;
let inPos = 0;
let slots = 1;
let slotBytes = 0;
let arrivals = 0;

/** Two-party barrier; also where a new slot layout starts, so both sides reset ring positions here. */
function sync(bytes) {
  arrivals++;
  Atomics.store(ctrl, ARRIVE(side), arrivals);
  while (Atomics.load(ctrl, ARRIVE(other)) < arrivals);
  slotBytes = bytes;
  slots = Math.max(2, Math.min(64, bytes === 0 ? 64 : Math.floor(regionBytes / bytes)));
  outPos = 0;
  inPos = 0;
}

function trySend(src) {
  if (sent - Atomics.load(ctrl, TAIL(side)) >= slots) return false;
  outRing.set(src, outPos * slotBytes);
  outPos = outPos + 1 === slots ? 0 : outPos + 1;
  Atomics.store(ctrl, HEAD(side), ++sent);
  return true;
}

function send(src) {
  while (!trySend(src));
}

function tryRecv(dst) {
  if (Atomics.load(ctrl, HEAD(other)) === received) return false;
  const at = inPos * slotBytes;
  dst.set(inRing.subarray(at, at + dst.length));
  inPos = inPos + 1 === slots ? 0 : inPos + 1;
  Atomics.store(ctrl, TAIL(other), ++received);
  return true;
}

function recv(dst) {
  while (!tryRecv(dst));
}

const empty = new Uint8Array(0);

function pingPong(buf, n) {
  if (side === 0) {
    for (let i = 0; i < n; i++) {
      send(buf);
      recv(buf);
    }
  } else {
    for (let i = 0; i < n; i++) {
      recv(buf);
      send(buf);
    }
  }
}

function stream(buf, windows) {
  for (let w = 0; w < windows; w++) {
    if (side === 0) {
      for (let i = 0; i < window; i++) send(buf);
      recv(empty);
    } else {
      for (let i = 0; i < window; i++) recv(buf);
      send(empty);
    }
  }
}

function bidirectional(out, into, windows) {
  for (let w = 0; w < windows; w++) {
    let s = 0;
    let r = 0;
    // Alternate so that neither side blocks on a full ring while the other does too.
    while (s < window || r < window) {
      if (s < window && trySend(out)) s++;
      if (r < window && tryRecv(into)) r++;
    }
  }
}

// Warm-up for the whole run (as osu.ts does), so the first size does not pay for the JIT.
{
  const warm = new Uint8Array(1024);
  sync(1024);
  pingPong(warm, 2000);
  sync(1024);
  stream(warm, 20);
  sync(1024);
  bidirectional(warm, new Uint8Array(1024), 20);
}

const results = [];
for (const step of plan) {
  const buf = new Uint8Array(step.bytes);
  const into = new Uint8Array(step.bytes);
  const run = (n) => (step.test === "latency" ? pingPong(buf, n) : step.test === "bw" ? stream(buf, n) : bidirectional(buf, into, n));
  sync(step.bytes);
  run(Math.max(1, Math.ceil(step.iterations / 10)));
  const samples = [];
  for (let r = 0; r < step.repeats; r++) {
    sync(step.bytes);
    const t0 = performance.now();
    run(step.iterations);
    const seconds = (performance.now() - t0) / 1000;
    if (step.test === "latency") samples.push((seconds / step.iterations / 2) * 1e6);
    else samples.push((step.bytes * window * step.iterations * (step.test === "bibw" ? 2 : 1)) / seconds / 1e6);
  }
  results.push({ test: step.test, bytes: step.bytes, iterations: step.iterations, samples });
}
parentPort.postMessage(side === 0 ? results : null);
