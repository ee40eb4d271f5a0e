/**
 * Where everything the host and the NIC share lives. One NIC instance serves
 * one VM; each of the VM's ranks owns a queue pair (QP) per peer rank, a
 * completion queue (CQ) and a memory-region (MR) table, in one control
 * SharedArrayBuffer of Int32 words, plus one "host memory" SharedArrayBuffer
 * per rank holding the buffers the NIC may DMA to and from.
 *
 * Host memory of a rank, per peer (one QP's worth, `qpMemoryBytes`):
 *   [ send staging ring | large-frame staging slots | landing ring (RDMA WRITE target) | receive slots ]
 */

export interface LayoutConfig {
  /** World ranks served by this NIC (the VM's ranks), in rank order. */
  ranks: number[];
  /** Ranks in the job (one QP per local rank and peer rank). */
  size: number;
  /** Work requests per send queue. */
  sqDepth: number;
  /** Entries per completion queue. */
  cqDepth: number;
  /** Posted receive buffers per QP (SEND target). */
  rqDepth: number;
  /** Bytes of one receive buffer: the largest frame sent as a SEND. */
  slotBytes: number;
  /** Bytes of the staging ring that SEND payloads are copied into. */
  stagingBytes: number;
  /** Large frames (RDMA WRITE) are staged in this many fixed slots ... */
  largeSlots: number;
  /** ... of this many bytes each (the largest frame). */
  largeSlotBytes: number;
  /** Bytes of the landing ring a peer RDMA-writes large frames into. */
  landingBytes: number;
  /** Entries of each rank's MR table. */
  mrSlots: number;
}

// Global words.
export const G_ATTENTION = 0;
export const G_NIC_SLEEPING = 1;
export const G_STOP = 2;
export const GLOBAL_INTS = 16;

// Per-rank words.
export const R_CQ_HEAD = 0;
export const R_CQ_TAIL = 1;
/** The host asks for an interrupt on the next completion (ibv_req_notify_cq). */
export const R_CQ_ARMED = 2;
/** Bumped and notified by the NIC: the interrupt line. */
export const R_IRQ = 3;
export const RANK_INTS = 16;

// Per-QP words.
/** Doorbell register: the host writes its send-queue tail (work requests posted). */
export const Q_SQ_TAIL = 0;
/** Work requests the NIC completed (acknowledged by the peer). */
export const Q_SQ_DONE = 1;
/** Doorbell record: receives the host has posted, cumulative. */
export const Q_RQ_POSTED = 2;
/** Credit word the host publishes to the peer in every ACK (the transport: landing bytes freed). */
export const Q_CREDIT = 3;
/** The peer's credit word, as last heard in an ACK. */
export const Q_REMOTE_CREDIT = 4;
/** The host could not post for lack of room: make a ROOM completion when room frees up. */
export const Q_WANTS_ROOM = 5;
/**
 * The peer's NIC address, written by the host when it connects the QP (from
 * the job's key-value store). The port is written last: non-zero means the
 * QP is connected and the tag words below are valid. The NIC sends only
 * there and accepts frames only from there.
 */
export const Q_REMOTE_IP = 6;
export const Q_REMOTE_PORT = 7;
/** The host changed its credit word or receive postings and wants the peer told now. */
export const Q_DIRTY = 8;
/** 0 ok; else the NakReason/error that broke the QP. */
export const Q_ERROR = 9;
/** Key of the MR the receive slots live in. */
export const Q_RECV_KEY = 10;
/** Doorbell writes (MMIOs) so far: each one is a PCIe transaction the NIC processor handles. */
export const Q_DOORBELL_WRITES = 11;
/** This QP's tag (random, chosen at creation): every frame for it must carry it. */
export const Q_TAG_IN_HIGH = 12;
export const Q_TAG_IN_LOW = 13;
/** The peer QP's tag, stamped on every frame sent to it (written by the host when it connects the QP). */
export const Q_TAG_OUT_HIGH = 14;
export const Q_TAG_OUT_LOW = 15;
export const QP_INTS = 16;

// Work request (descriptor) words.
export const WQE_INTS = 8;
export const W_OPCODE = 0;
export const W_LKEY = 2;
export const W_LOFFSET = 3;
export const W_LENGTH = 4;
export const W_RKEY = 5;
export const W_ROFFSET = 6;
export const W_IMM = 7;
export const WorkOp = { SEND: 1, RDMA_WRITE: 2, RDMA_WRITE_IMM: 3, RDMA_READ: 4 } as const;

// Completion entry words.
export const CQE_INTS = 8;
export const C_TYPE = 0;
export const C_PEER = 1;
export const C_A = 2;
export const C_B = 3;
export const C_C = 4;
export const Completion = {
  /** A SEND arrived: a = receive slot, b = length. */
  RECEIVE: 1,
  /** An RDMA WRITE with immediate arrived: a = immediate, b = offset of its first byte, c = length. */
  WRITE_IMMEDIATE: 2,
  /** An RDMA READ finished: a = work request index. */
  READ_DONE: 3,
  /** Send-queue or peer credit room freed up (only when the host asked with Q_WANTS_ROOM). */
  ROOM: 4,
  /** The QP broke: a = reason. */
  ERROR: 5,
} as const;

// MR table entry words.
export const MR_INTS = 4;
export const M_KEY = 0;
export const M_OFFSET = 1;
export const M_LENGTH = 2;
export const M_ACCESS = 3;
export const Access = { LOCAL_READ: 1, LOCAL_WRITE: 2, REMOTE_WRITE: 4, REMOTE_READ: 8 } as const;

export function alignUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

/** Offsets computed once from a LayoutConfig; both sides build the same one. */
export class NicLayout {
  readonly config: LayoutConfig;
  readonly localIndex: Int32Array;
  readonly rankBase: number;
  readonly qpBase: number;
  readonly sqBase: number;
  readonly cqBase: number;
  readonly mrBase: number;
  readonly controlInts: number;
  readonly stagingAt = 0;
  readonly largeAt: number;
  readonly landingAt: number;
  readonly receiveAt: number;
  readonly qpMemoryBytes: number;
  readonly memoryBytes: number;

  constructor(config: LayoutConfig) {
    this.config = config;
    const { ranks, size } = config;
    this.localIndex = new Int32Array(size).fill(-1);
    ranks.forEach((r, i) => {
      this.localIndex[r] = i;
    });
    const l = ranks.length;
    this.rankBase = GLOBAL_INTS;
    this.qpBase = this.rankBase + l * RANK_INTS;
    this.sqBase = this.qpBase + l * size * QP_INTS;
    this.cqBase = this.sqBase + l * size * config.sqDepth * WQE_INTS;
    this.mrBase = this.cqBase + l * config.cqDepth * CQE_INTS;
    this.controlInts = this.mrBase + l * config.mrSlots * MR_INTS;
    this.largeAt = alignUp(config.stagingBytes, 64);
    this.landingAt = this.largeAt + config.largeSlots * alignUp(config.largeSlotBytes, 64);
    this.receiveAt = this.landingAt + alignUp(config.landingBytes, 64);
    this.qpMemoryBytes = this.receiveAt + config.rqDepth * alignUp(config.slotBytes, 64);
    this.memoryBytes = size * this.qpMemoryBytes;
  }

  rankWord(local: number, word: number): number {
    return this.rankBase + local * RANK_INTS + word;
  }

  qpIndex(local: number, peer: number): number {
    return local * this.config.size + peer;
  }

  qpWord(qp: number, word: number): number {
    return this.qpBase + qp * QP_INTS + word;
  }

  wqe(qp: number, index: number): number {
    return this.sqBase + (qp * this.config.sqDepth + (index % this.config.sqDepth)) * WQE_INTS;
  }

  cqe(local: number, index: number): number {
    return this.cqBase + (local * this.config.cqDepth + (index % this.config.cqDepth)) * CQE_INTS;
  }

  mr(local: number, slot: number): number {
    return this.mrBase + (local * this.config.mrSlots + slot) * MR_INTS;
  }

  /** Byte offset in a rank's host memory of its QP region for `peer`. */
  qpMemory(peer: number): number {
    return peer * this.qpMemoryBytes;
  }

  largeSlotAt(peer: number, slot: number): number {
    return this.qpMemory(peer) + this.largeAt + slot * alignUp(this.config.largeSlotBytes, 64);
  }

  receiveSlotAt(slot: number): number {
    return this.receiveAt + slot * alignUp(this.config.slotBytes, 64);
  }
}

/** Queue-pair numbers are job-wide: the QP rank `owner` keeps for talking to `peer`. */
export function qpNumber(owner: number, peer: number, size: number): number {
  return owner * size + peer + 1;
}

export function qpOwner(qpn: number, size: number): { owner: number; peer: number } | undefined {
  if (qpn < 1 || qpn > size * size) return undefined;
  return { owner: Math.floor((qpn - 1) / size), peer: (qpn - 1) % size };
}

export function ipToInt(ip: string): number {
  const parts = ip.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`slurpoe: "${ip}" is not an IPv4 address`);
  return (parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]! | 0;
}

export function intToIp(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}
