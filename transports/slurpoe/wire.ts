/**
 * The wire between NIC instances: one SLURPoE frame per UDP datagram. On top
 * of the real socket, seeded fault injection (`wire.loss`, `wire.dup`,
 * `wire.reorder`, `wire.seed`) drops, duplicates or holds back frames, so the
 * protocol's reliability is exercised reproducibly. Loopback UDP can also lose
 * datagrams for real when a socket buffer overflows; the protocol copes with
 * both.
 */

import { dup, loss, reorder, seed } from "./settings.ts";

export interface WireFaults {
  loss: number;
  dup: number;
  reorder: number;
  seed: number;
}

/** Where a frame goes: an IPv4 address and UDP port. */
export type Transmit = (frame: Uint8Array, port: number, address: string) => void;

export interface WireCounters {
  dropped: number;
  duplicated: number;
  reordered: number;
}

export function faultsFromSettings(settings: Readonly<Record<string, string>>): WireFaults {
  return { loss: loss.read(settings), dup: dup.read(settings), reorder: reorder.read(settings), seed: seed.read(settings) };
}

/** mulberry32: a small seeded generator, so a run's faults repeat with its seed. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultyWire {
  private readonly transmit: Transmit;
  private readonly faults: WireFaults;
  private readonly random: () => number;
  /** A frame held back to be sent after the next one (reordering). */
  private held: { frame: Uint8Array; port: number; address: string } | undefined;
  readonly counters: WireCounters = { dropped: 0, duplicated: 0, reordered: 0 };

  constructor(transmit: Transmit, faults: WireFaults, stream: number) {
    this.transmit = transmit;
    this.faults = faults;
    // Each NIC draws from its own stream of the seed.
    this.random = seededRandom((faults.seed * 7919 + stream * 104729) | 0);
  }

  send(frame: Uint8Array, port: number, address: string): void {
    const f = this.faults;
    if (f.loss > 0 && this.random() < f.loss) {
      this.counters.dropped++;
      return;
    }
    if (f.reorder > 0 && !this.held && this.random() < f.reorder) {
      this.counters.reordered++;
      this.held = { frame, port, address };
      return;
    }
    this.transmit(frame, port, address);
    if (f.dup > 0 && this.random() < f.dup) {
      this.counters.duplicated++;
      this.transmit(frame, port, address);
    }
    this.release();
  }

  /** Send the held-back frame (after the next frame, or on the NIC's timer tick). */
  release(): void {
    const h = this.held;
    if (!h) return;
    this.held = undefined;
    this.transmit(h.frame, h.port, h.address);
  }
}
