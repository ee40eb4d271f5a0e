// Two NIC instances (each its own processor thread, real UDP on loopback) over a
// wire that loses, duplicates and reorders frames: every frame of random size
// arrives exactly once, in order, with its checksum intact, and the NIC
// counters show the recovery (retransmissions, NAKs, suppressed duplicates).
import { afterAll, describe, expect, it } from "vitest";
import { MemoryKeyValueStore } from "../../../src/control/kvs.ts";
import type { Transport, TransportContext } from "../../../src/transport/contract.ts";
import open, { prepareProcess } from "../../../transports/slurpoe/index.ts";
import { seededRandom } from "../../../transports/slurpoe/wire.ts";

/** Frames per direction; `LOSSY_FRAMES=N` for a longer run. */
const FRAMES = Number(process.env.LOSSY_FRAMES ?? 800);

function checksum(bytes: Uint8Array): number {
  let h = 2166136261;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 16777619);
  return h >>> 0;
}

interface Job {
  transports: Transport[];
  stops: (() => void)[];
}

async function startPair(settings: Record<string, string>): Promise<Job> {
  const kvs = new MemoryKeyValueStore();
  const options = await Promise.all([
    prepareProcess({ vm: "vmA", ranks: [0], size: 2, settings, bind: "127.0.0.1", kvs }),
    prepareProcess({ vm: "vmB", ranks: [1], size: 2, settings, bind: "127.0.0.1", kvs }),
  ]);
  const transports: Transport[] = [];
  for (const rank of [0, 1]) {
    const context: TransportContext = {
      rank,
      size: 2,
      peers: [1 - rank],
      deliver: () => {},
      onPeerLost: (peer, why) => {
        throw new Error(`rank ${rank} lost ${peer}: ${why}`);
      },
      onWritable: () => {},
      options: options[rank]!,
      settings,
      kvs,
    };
    transports.push(await open(context));
  }
  return { transports, stops: [] };
}

const started: Job[] = [];
afterAll(async () => {
  for (const j of started) for (const t of j.transports) await t.close();
});

describe("slurpoe over a lossy wire", () => {
  it(`delivers ${FRAMES} random-size frames each way exactly once, in order, intact (loss 0.1, dup 0.05, reorder 0.05)`, async () => {
    const settings = { "wire.loss": "0.1", "wire.dup": "0.05", "wire.reorder": "0.05", "wire.seed": "7", "nic.retransmitMs": "2" };
    const job = await startPair(settings);
    started.push(job);
    const [a, b] = job.transports as [Transport, Transport];
    const maxPayload = a.limits.maxFrameBytes - 40;
    const random = seededRandom(99);
    // Sizes spread over every path: tiny SENDs, multi-packet SENDs, RDMA WRITEs up to the largest frame.
    const size = (): number => Math.min(maxPayload, Math.floor(Math.exp(random() * Math.log(maxPayload + 1))) - 1);
    const next = [0, 0];
    const received = [0, 0];
    const errors: string[] = [];
    const deliverTo =
      (me: number) =>
      (source: number, frame: Uint8Array): void => {
        const v = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
        const seq = v.getUint32(0, true);
        const n = v.getUint32(4, true);
        const sum = v.getUint32(8, true);
        if (source !== 1 - me) errors.push(`rank ${me}: frame from ${source}`);
        if (seq !== received[me]) errors.push(`rank ${me}: frame ${seq} arrived when ${received[me]} was due`);
        if (frame.byteLength !== 40 + n) errors.push(`rank ${me}: frame ${seq} has ${frame.byteLength - 40} bytes, sent ${n}`);
        else if (checksum(frame.subarray(40)) !== sum) errors.push(`rank ${me}: frame ${seq} checksum differs`);
        received[me]!++;
      };
    const deliver = [deliverTo(0), deliverTo(1)];
    const makeFrame = (seq: number): { header: Uint8Array; payload: Uint8Array } => {
      const n = size();
      const payload = new Uint8Array(n);
      for (let i = 0; i < n; i += 97) payload[i] = (seq * 13 + i) & 255;
      const header = new Uint8Array(40);
      const v = new DataView(header.buffer);
      v.setUint32(0, seq, true);
      v.setUint32(4, n, true);
      v.setUint32(8, checksum(payload), true);
      return { header, payload };
    };
    const pending: ({ header: Uint8Array; payload: Uint8Array } | undefined)[] = [undefined, undefined];
    const deadline = performance.now() + 100_000;
    let spins = 0;
    while ((received[0]! < FRAMES || received[1]! < FRAMES) && performance.now() < deadline && errors.length === 0) {
      for (const me of [0, 1]) {
        const t = job.transports[me]!;
        // Keep sending while the transport takes frames (it answers false when its queues or credits are full).
        for (let k = 0; k < 8 && next[me]! < FRAMES; k++) {
          const f = pending[me] ?? makeFrame(next[me]!);
          if (!t.trySend(1 - me, f.header, f.payload)) {
            pending[me] = f;
            break;
          }
          pending[me] = undefined;
          next[me]!++;
        }
        t.poll!(deliver[me]!);
      }
      // Let the event loop breathe now and then (nothing of ours needs it, but timers elsewhere might).
      if ((++spins & 1023) === 0) await new Promise((r) => setImmediate(r));
    }
    if (process.env.LOSSY_VERBOSE) console.log(a.stats!(), b.stats!());
    expect(errors).toEqual([]);
    expect(received).toEqual([FRAMES, FRAMES]);
    const stats = a.stats!();
    const other = b.stats!();
    // The faults really happened and the protocol repaired them.
    expect(stats["nic.wireDropped"]! + other["nic.wireDropped"]!).toBeGreaterThan(0);
    expect(stats["nic.wireDuplicated"]! + other["nic.wireDuplicated"]!).toBeGreaterThan(0);
    expect(stats["nic.retransmissions"]! + other["nic.retransmissions"]!).toBeGreaterThan(0);
    expect(stats["nic.duplicatesSuppressed"]! + other["nic.duplicatesSuppressed"]!).toBeGreaterThan(0);
    expect(stats["nic.naksSent"]! + other["nic.naksSent"]!).toBeGreaterThan(0);
    expect(stats.rdmaWrites).toBeGreaterThan(0);
    expect(stats.sends).toBeGreaterThan(0);
    expect(stats.doorbellsRung).toBeGreaterThan(0);
    expect(stats.registrationCacheHits).toBeGreaterThan(0);
  }, 120_000);
});
