/**
 * What the receive path (receive.ts) and the reliability timers
 * (reliability.ts) may use of a NIC engine: its state and the actions they
 * trigger. NicEngine implements it; naming it here keeps those modules from
 * importing the engine that imports them.
 */
import type { FrameHeader } from "./codec.ts";
import type { NicCounters } from "./counters.ts";
import type { NicLayout } from "./layout.ts";
import type { NicProfile } from "./profiles.ts";
import type { QueuePair } from "./queue-pair.ts";

export interface NicPorts {
  readonly ctl: Int32Array;
  readonly layout: NicLayout;
  readonly memory: Uint8Array[];
  readonly counters: NicCounters;
  readonly profile: NicProfile;
  readonly size: number;
  /** Queue pairs with unacknowledged packets (the retransmission timers walk them). */
  readonly active: QueuePair[];
  qp(local: number, peer: number): QueuePair;
  /** Send more of the queue pair's work if the window allows. */
  pump(q: QueuePair): void;
  transmit(q: QueuePair, frame: Uint8Array): void;
  ack(q: QueuePair): void;
  nak(q: QueuePair, reason: number): void;
  probe(q: QueuePair): void;
  /** An ACK arrived: release what it covers. */
  acknowledged(q: QueuePair, h: FrameHeader): void;
  /** Whether the host has connected the queue pair (given it its peer's address and tag). */
  connected(q: QueuePair): boolean;
  completionRoom(local: number): boolean;
  complete(local: number, type: number, peer: number, a: number, b: number, c: number): boolean;
}
