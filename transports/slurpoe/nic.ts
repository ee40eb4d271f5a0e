/**
 * Making a NIC instance for a VM: its shared state (queues, completion queues,
 * MR tables, host memory) and its processor thread. Called from the
 * transport's prepareProcess, and directly by tests and benchmarks.
 */
import { MODULE_EXTENSION } from "../../src/constants.ts";
import { randomBytes } from "node:crypto";
import { Worker } from "node:worker_threads";
import { NicCounters } from "./counters.ts";
import { Access, G_ATTENTION, G_STOP, type LayoutConfig, NicLayout, Q_RECV_KEY, Q_RQ_POSTED, Q_TAG_IN_HIGH, Q_TAG_IN_LOW } from "./layout.ts";
import { MemoryTable } from "./memory.ts";
import type { NicShared } from "./nic-engine.ts";
import * as setting from "./settings.ts";
import { modeFromSettings, profileFromSettings } from "./settings.ts";
import type { WireFaults } from "./wire.ts";

/**
 * Keys a rank's QP registered at creation: where the NIC reads SENDs from,
 * where the peer may write, and the QP's tag (the secret every frame for it
 * carries; the peer learns it through the job's authenticated key-value store).
 */
export interface QpKeys {
  staging: number;
  landing: number;
  tag: [high: number, low: number];
}

export interface NicSetup {
  shared: NicShared;
  /** keys[local][peer]. */
  keys: QpKeys[][];
}

/** Queue and buffer sizes (`--set slurpoe.<key>=N`); every VM of a job must use the same. */
export function layoutFromSettings(ranks: number[], size: number, settings: Readonly<Record<string, string>>): LayoutConfig {
  // Host memory is per peer (a QP each), so big jobs get smaller buffers: size is job-wide, every VM agrees.
  const scale = size <= 8 ? 1 : size <= 32 ? 2 : 4;
  const eagerLimit = setting.eagerLimit.read(settings);
  const landingBytes = setting.landingBytes.given(settings) ?? (512 * 1024) / scale;
  const rqDepth = setting.receiveDepth.given(settings) ?? 32 / scale;
  // Ring positions wrap at 2^32 (the immediate carries them): the ring size must divide it.
  if (landingBytes & (landingBytes - 1)) throw new Error(`slurpoe: slurpoe.landingBytes=${landingBytes} must be a power of two`);
  const slotBytes = eagerLimit + 64;
  const largeSlotBytes = Math.floor(landingBytes / 4) - 64;
  if (largeSlotBytes <= slotBytes) throw new Error(`slurpoe: slurpoe.landingBytes=${landingBytes} must exceed 4 × (eagerLimit + 128)`);
  const largeSlots = 4;
  return {
    ranks,
    size,
    sqDepth: setting.sendDepth.read(settings),
    // Every completion the NIC can owe a rank fits: receives posted plus landing-ring frames per peer.
    cqDepth: size * (rqDepth + Math.ceil(landingBytes / slotBytes) + 4) + 64,
    rqDepth,
    slotBytes,
    stagingBytes: setting.stagingBytes.given(settings) ?? (256 * 1024) / scale,
    largeSlots,
    largeSlotBytes,
    landingBytes,
    mrSlots: size * (3 + largeSlots) + 16,
  };
}

/** Allocate the NIC's shared state and register every QP's fixed regions. */
export function createNic(ranks: number[], size: number, settings: Readonly<Record<string, string>>): NicSetup {
  const config = layoutFromSettings(ranks, size, settings);
  const layout = new NicLayout(config);
  const control = new SharedArrayBuffer(layout.controlInts * 4);
  const ctl = new Int32Array(control);
  const memory = ranks.map(() => new SharedArrayBuffer(layout.memoryBytes));
  const keys: QpKeys[][] = [];
  ranks.forEach((rank, local) => {
    const table = new MemoryTable(ctl, layout, local, setting.seed.read(settings) + rank);
    const mine: QpKeys[] = [];
    for (let peer = 0; peer < size; peer++) {
      if (peer === rank) {
        mine.push({ staging: 0, landing: 0, tag: [0, 0] });
        continue;
      }
      const base = layout.qpMemory(peer);
      const qp = layout.qpIndex(local, peer);
      const staging = table.register(base, config.stagingBytes, Access.LOCAL_READ, layout.memoryBytes);
      const landing = table.register(base + layout.landingAt, config.landingBytes, Access.REMOTE_WRITE, layout.memoryBytes);
      const receive = table.register(base + layout.receiveAt, layout.qpMemoryBytes - layout.receiveAt, Access.LOCAL_WRITE, layout.memoryBytes);
      ctl[layout.qpWord(qp, Q_RECV_KEY)] = receive;
      // Every receive buffer is posted up front; the peer starts with that many credits.
      ctl[layout.qpWord(qp, Q_RQ_POSTED)] = config.rqDepth;
      // 64 random bits per QP and job: a stranger who cannot read the job's key-value store must guess them.
      const tag = randomBytes(8);
      const high = tag.readUInt32BE(0);
      const low = tag.readUInt32BE(4);
      ctl[layout.qpWord(qp, Q_TAG_IN_HIGH)] = high | 0;
      ctl[layout.qpWord(qp, Q_TAG_IN_LOW)] = low | 0;
      mine.push({ staging, landing, tag: [high, low] });
    }
    keys.push(mine);
  });
  return {
    shared: {
      control,
      memory,
      counters: NicCounters.allocate(),
      layout: config,
      profile: profileFromSettings(settings),
      mode: modeFromSettings(settings),
    },
    keys,
  };
}

export interface NicThread {
  port: number;
  address: string;
  worker: Worker;
  stop(): Promise<void>;
}

export interface NicWorkerData {
  shared: NicShared;
  bind: string;
  faults: WireFaults;
  stream: number;
  entry: string;
  /** The job's settings (for --bind-to) and this NIC thread's place among the busy threads. */
  settings: Record<string, string>;
  slot: number;
  vm: string;
}

/** Start the NIC processor thread; resolves once its UDP socket is bound. */
export function startNicThread(
  shared: NicShared,
  bind: string,
  faults: WireFaults,
  stream: number,
  binding: { settings: Record<string, string>; slot: number; vm: string },
): Promise<NicThread> {
  const entry = new URL(`./nic-worker${MODULE_EXTENSION}`, import.meta.url).href;
  const data: NicWorkerData = { shared, bind, faults, stream, entry, ...binding };
  const worker = new Worker(new URL("./nic-entry.js", import.meta.url), { workerData: data, name: "nic" });
  return new Promise((resolvePromise, reject) => {
    worker.once("error", reject);
    worker.once("message", (m: { type: string; port: number; address: string }) => {
      worker.off("error", reject);
      // The NIC must not keep its VM process alive once the ranks are done.
      worker.unref();
      const ctl = new Int32Array(shared.control);
      resolvePromise({
        port: m.port,
        address: m.address,
        worker,
        async stop() {
          Atomics.store(ctl, G_STOP, 1);
          Atomics.add(ctl, G_ATTENTION, 1);
          Atomics.notify(ctl, G_ATTENTION);
          await worker.terminate();
        },
      });
    });
  });
}
