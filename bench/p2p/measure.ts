/**
 * OSU-style point-to-point measurements between ranks 0 and 1 of a
 * communicator (osu_latency, osu_bw, osu_bibw): buffers are allocated once
 * per size, every size is warmed up before it is timed, and each repeat
 * starts from a pair synchronisation so a late partner is not billed to the
 * transport. Only rank 0's clock is reported. Ranks other than 0 and 1 must
 * not call these.
 */
import { type Comm, type Request, waitall, wtime } from "tsmpi";

/** Tags of the benchmark's own traffic (any distinct values would do). */
export const DATA_TAG = 1;
export const ACK_TAG = 2;
export const SYNC_TAG = 3;
/** The tag idle ranks wait on; nobody sends it until the end. */
export const IDLE_TAG = 4;

// 4 bytes like OSU's ack rather than 0: right after a window of eager sends
// a sender may briefly have no eager credits, and a zero-byte message then
// goes by single-copy rendezvous, which (at commit 86e777e) exposes address 0
// and fails the receiver with "copyFrom: bad address". The 0 B latency row
// still measures zero-byte messages.
const token = new Uint8Array(4);

/** Ranks 0 and 1 meet: a small round trip, so both start a repeat together. */
export async function pairSync(world: Comm): Promise<void> {
  if (world.rank === 0) {
    await world.send(token, 1, SYNC_TAG);
    await world.recvInto(token, 1, SYNC_TAG);
  } else {
    await world.recvInto(token, 0, SYNC_TAG);
    await world.send(token, 0, SYNC_TAG);
  }
}

/** `iterations` round trips of `buf` between ranks 0 and 1 (other ranks return at once). */
export async function pingPong(world: Comm, buf: Uint8Array, iterations: number): Promise<void> {
  if (world.rank > 1) return;
  if (world.rank === 0) {
    for (let i = 0; i < iterations; i++) {
      await world.send(buf, 1, DATA_TAG);
      await world.recvInto(buf, 1, DATA_TAG);
    }
  } else {
    for (let i = 0; i < iterations; i++) {
      await world.recvInto(buf, 0, DATA_TAG);
      await world.send(buf, 0, DATA_TAG);
    }
  }
}

/**
 * Repeat `block` until rank 0 has spent `seconds` in it (at least once);
 * rank 1 follows rank 0's word, so both run it the same number of times.
 * Warm-ups are timed rather than counted: on 2 cores with both ranks polling,
 * V8 takes a few thousand round trips to settle the JIT (bench/p2p/latency-
 * trace.ts shows 13, 8, 4, then 0.35 µs per half round trip in blocks of
 * 2000), whatever the message size.
 */
export async function repeatFor(world: Comm, seconds: number, block: () => Promise<void>): Promise<void> {
  const word = new Uint8Array(4);
  const t0 = wtime();
  for (;;) {
    await block();
    if (world.rank === 0) {
      word[0] = wtime() - t0 < seconds ? 1 : 0;
      await world.send(word, 1, SYNC_TAG);
    } else {
      await world.recvInto(word, 0, SYNC_TAG);
    }
    if (word[0] === 0) return;
  }
}

/** Warm-up of every size before it is timed. */
export const SIZE_WARMUP_SECONDS = 0.05;

/** Half round trip in microseconds, one value per repeat. */
export async function latencySamples(world: Comm, bytes: number, iterations: number, repeats: number): Promise<number[]> {
  const buf = new Uint8Array(bytes);
  await pairSync(world);
  const block = Math.max(1, Math.ceil(iterations / 10));
  await repeatFor(world, SIZE_WARMUP_SECONDS, () => pingPong(world, buf, block));
  const samples: number[] = [];
  for (let r = 0; r < repeats; r++) {
    await pairSync(world);
    const t0 = wtime();
    await pingPong(world, buf, iterations);
    samples.push(((wtime() - t0) / iterations / 2) * 1e6);
  }
  return samples;
}

/** One osu_bw window: rank 0 posts `window` isends, rank 1 as many irecvIntos, then rank 1 acknowledges. */
async function bandwidthWindows(world: Comm, send: Uint8Array, recv: Uint8Array, ack: Uint8Array, windows: number, window: number): Promise<void> {
  const reqs: Request<unknown>[] = new Array(window);
  for (let w = 0; w < windows; w++) {
    if (world.rank === 0) {
      for (let i = 0; i < window; i++) reqs[i] = world.isend(send, 1, DATA_TAG);
      await waitall(reqs);
      await world.recvInto(ack, 1, ACK_TAG);
    } else {
      for (let i = 0; i < window; i++) reqs[i] = world.irecvInto(recv, 0, DATA_TAG);
      await waitall(reqs);
      await world.send(ack, 0, ACK_TAG);
    }
  }
}

/** One osu_bibw window: both ranks post `window` irecvIntos and `window` isends, then wait for all. */
async function bibwWindows(world: Comm, send: Uint8Array, recv: Uint8Array, windows: number, window: number): Promise<void> {
  const peer = 1 - world.rank;
  const reqs: Request<unknown>[] = new Array(2 * window);
  for (let w = 0; w < windows; w++) {
    for (let i = 0; i < window; i++) reqs[i] = world.irecvInto(recv, peer, DATA_TAG);
    for (let i = 0; i < window; i++) reqs[window + i] = world.isend(send, peer, DATA_TAG);
    await waitall(reqs);
  }
}

/**
 * MB/s (10^6 bytes/s, as OSU) per repeat. `bidirectional` counts the bytes
 * of both directions, as osu_bibw does.
 */
export async function bandwidthSamples(
  world: Comm,
  bytes: number,
  windows: number,
  window: number,
  repeats: number,
  bidirectional: boolean,
): Promise<number[]> {
  // Every in-flight send reads the same buffer and every receive lands in the
  // same buffer, as in OSU: the payload's content is not what is measured.
  const send = new Uint8Array(bytes);
  const recv = new Uint8Array(bytes);
  const ack = new Uint8Array(4);
  const run = (n: number): Promise<void> => (bidirectional ? bibwWindows(world, send, recv, n, window) : bandwidthWindows(world, send, recv, ack, n, window));
  await pairSync(world);
  await repeatFor(world, SIZE_WARMUP_SECONDS, () => run(1));
  const samples: number[] = [];
  for (let r = 0; r < repeats; r++) {
    await pairSync(world);
    const t0 = wtime();
    await run(windows);
    const seconds = wtime() - t0;
    samples.push((bytes * window * windows * (bidirectional ? 2 : 1)) / seconds / 1e6);
  }
  return samples;
}
