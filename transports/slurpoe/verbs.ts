/**
 * The host side of a NIC instance for one rank (the verbs a user-level RDMA
 * library offers): post work requests, ring the doorbell, poll the completion
 * queue, arm it for an interrupt, post receives. All of it is loads and
 * stores on shared memory plus one Atomics.notify when the NIC processor
 * sleeps; the doorbell's MMIO cost is paid here by busy-waiting.
 */
import { spinMicroseconds } from "./costs.ts";
import {
  C_A,
  C_B,
  C_C,
  C_PEER,
  C_TYPE,
  G_ATTENTION,
  G_NIC_SLEEPING,
  NicLayout,
  Q_CREDIT,
  Q_DIRTY,
  Q_DOORBELL_WRITES,
  Q_REMOTE_CREDIT,
  Q_REMOTE_IP,
  Q_REMOTE_PORT,
  Q_RQ_POSTED,
  Q_SQ_DONE,
  Q_SQ_TAIL,
  Q_TAG_OUT_HIGH,
  Q_TAG_OUT_LOW,
  Q_WANTS_ROOM,
  R_CQ_ARMED,
  R_CQ_HEAD,
  R_CQ_TAIL,
  R_IRQ,
  W_IMM,
  W_LENGTH,
  W_LKEY,
  W_LOFFSET,
  W_OPCODE,
  W_RKEY,
  W_ROFFSET,
} from "./layout.ts";
import type { NicShared } from "./nic-engine.ts";

export type CompletionVisitor = (type: number, peer: number, a: number, b: number, c: number) => void;

export class HostQueues {
  readonly layout: NicLayout;
  readonly ctl: Int32Array;
  readonly memory: Uint8Array;
  readonly local: number;
  private readonly doorbellUs: number;
  /** Send-queue tail per peer (posted), and the tail last written to the doorbell register. */
  private readonly tails: Int32Array;
  private readonly rung: Int32Array;
  private readonly unrung: number[] = [];
  private cqHead: number;
  private readonly irqAt: number;
  doorbellsRung = 0;
  completionPolls = 0;
  emptyPolls = 0;

  constructor(shared: NicShared, rank: number) {
    this.layout = new NicLayout(shared.layout);
    this.ctl = new Int32Array(shared.control);
    this.local = this.layout.localIndex[rank]!;
    if (this.local < 0) throw new Error(`slurpoe: rank ${rank} is not served by this NIC (ranks ${shared.layout.ranks.join(",")})`);
    this.memory = new Uint8Array(shared.memory[this.local]!);
    this.doorbellUs = shared.profile.doorbellHostUs;
    this.tails = new Int32Array(shared.layout.size);
    this.rung = new Int32Array(shared.layout.size);
    for (let p = 0; p < shared.layout.size; p++) this.tails[p] = this.rung[p] = Atomics.load(this.ctl, this.qpWord(p, Q_SQ_TAIL));
    this.cqHead = Atomics.load(this.ctl, this.layout.rankWord(this.local, R_CQ_HEAD));
    this.irqAt = this.layout.rankWord(this.local, R_IRQ);
  }

  qpWord(peer: number, word: number): number {
    return this.layout.qpWord(this.layout.qpIndex(this.local, peer), word);
  }

  /** Work requests posted to `peer` and not yet completed. */
  outstanding(peer: number): number {
    return (this.tails[peer]! - Atomics.load(this.ctl, this.qpWord(peer, Q_SQ_DONE))) | 0;
  }

  /** Index the next work request to `peer` will get (cumulative). */
  tail(peer: number): number {
    return this.tails[peer]!;
  }

  completed(peer: number): number {
    return Atomics.load(this.ctl, this.qpWord(peer, Q_SQ_DONE));
  }

  /** Write a work request into the send queue (no doorbell yet); false when the queue is full. */
  post(peer: number, opcode: number, lkey: number, loffset: number, length: number, rkey = 0, roffset = 0, imm = 0): boolean {
    if (this.outstanding(peer) >= this.layout.config.sqDepth) return false;
    const index = this.tails[peer]!;
    const at = this.layout.wqe(this.layout.qpIndex(this.local, peer), index >>> 0);
    const c = this.ctl;
    c[at + W_OPCODE] = opcode;
    c[at + W_LKEY] = lkey;
    c[at + W_LOFFSET] = loffset;
    c[at + W_LENGTH] = length;
    c[at + W_RKEY] = rkey;
    c[at + W_ROFFSET] = roffset;
    c[at + W_IMM] = imm;
    if (this.tails[peer] === this.rung[peer]) this.unrung.push(peer);
    this.tails[peer] = (index + 1) | 0;
    return true;
  }

  /** Work requests posted but not yet announced by a doorbell. */
  get unannounced(): number {
    let n = 0;
    for (const p of this.unrung) n += (this.tails[p]! - this.rung[p]!) | 0;
    return n;
  }

  /**
   * Ring: write each changed send-queue tail to its doorbell register (one
   * MMIO write each, whatever the number of requests behind it), then wake
   * the NIC processor if it sleeps.
   */
  ring(): void {
    if (this.unrung.length === 0) return;
    for (const p of this.unrung) {
      spinMicroseconds(this.doorbellUs);
      this.rung[p] = this.tails[p]!;
      Atomics.store(this.ctl, this.qpWord(p, Q_SQ_TAIL), this.tails[p]!);
      Atomics.add(this.ctl, this.qpWord(p, Q_DOORBELL_WRITES), 1);
      this.doorbellsRung++;
    }
    this.unrung.length = 0;
    this.attention();
  }

  /** Wake the NIC processor (the doorbell page's side effect). */
  attention(): void {
    Atomics.add(this.ctl, G_ATTENTION, 1);
    if (Atomics.load(this.ctl, G_NIC_SLEEPING) !== 0) Atomics.notify(this.ctl, G_ATTENTION);
  }

  /** Hand every new completion to `visit`; returns how many. */
  poll(visit: CompletionVisitor): number {
    this.completionPolls++;
    const tail = Atomics.load(this.ctl, this.layout.rankWord(this.local, R_CQ_TAIL));
    let head = this.cqHead;
    if (head === tail) {
      this.emptyPolls++;
      return 0;
    }
    let n = 0;
    const c = this.ctl;
    while (head !== tail) {
      const at = this.layout.cqe(this.local, head >>> 0);
      const type = c[at + C_TYPE]!;
      const peer = c[at + C_PEER]!;
      const a = c[at + C_A]!;
      const b = c[at + C_B]!;
      const cc = c[at + C_C]!;
      head = (head + 1) | 0;
      this.cqHead = head;
      // Free the entry before the visit: the visit may post and ring, and the NIC may complete again.
      Atomics.store(c, this.layout.rankWord(this.local, R_CQ_HEAD), head);
      visit(type, peer, a, b, cc);
      n++;
    }
    return n;
  }

  hasCompletions(): boolean {
    return Atomics.load(this.ctl, this.layout.rankWord(this.local, R_CQ_TAIL)) !== this.cqHead;
  }

  /** Ask for an interrupt on the next completion; returns the interrupt word's value to wait on. */
  arm(): number {
    const seq = Atomics.load(this.ctl, this.irqAt);
    Atomics.store(this.ctl, this.layout.rankWord(this.local, R_CQ_ARMED), 1);
    return seq;
  }

  disarm(): void {
    Atomics.store(this.ctl, this.layout.rankWord(this.local, R_CQ_ARMED), 0);
  }

  /** Futex-style wait for the interrupt word to move from `seq`. */
  waitInterrupt(seq: number): { async: false } | { async: true; value: Promise<unknown> } {
    const r = Atomics.waitAsync(this.ctl, this.irqAt, seq);
    return r.async ? { async: true, value: r.value } : { async: false };
  }

  /** Post `n` more receives to `peer` (the doorbell record the NIC reads: no MMIO). */
  postReceives(peer: number, n: number): number {
    return Atomics.add(this.ctl, this.qpWord(peer, Q_RQ_POSTED), n) + n;
  }

  setCredit(peer: number, value: number): void {
    Atomics.store(this.ctl, this.qpWord(peer, Q_CREDIT), value);
  }

  remoteCredit(peer: number): number {
    return Atomics.load(this.ctl, this.qpWord(peer, Q_REMOTE_CREDIT));
  }

  /** Ask the NIC to tell `peer` our receive postings and credit word now. */
  announce(peer: number): void {
    Atomics.store(this.ctl, this.qpWord(peer, Q_DIRTY), 1);
    this.attention();
  }

  /**
   * Connect the QP to `peer` (ibv_modify_qp to RTR/RTS): its NIC's address and
   * its QP's tag, as the job's authenticated key-value store gave them. Until
   * then the NIC neither sends on the QP nor accepts frames for it. The port
   * goes last: the NIC takes a non-zero port to mean the rest is written.
   */
  connect(peer: number, ip: number, port: number, tagHigh: number, tagLow: number): void {
    Atomics.store(this.ctl, this.qpWord(peer, Q_TAG_OUT_HIGH), tagHigh | 0);
    Atomics.store(this.ctl, this.qpWord(peer, Q_TAG_OUT_LOW), tagLow | 0);
    Atomics.store(this.ctl, this.qpWord(peer, Q_REMOTE_IP), ip | 0);
    Atomics.store(this.ctl, this.qpWord(peer, Q_REMOTE_PORT), port);
  }

  /** Ask for a ROOM completion when the send queue or the peer's credits free up. */
  wantRoom(peer: number): void {
    Atomics.store(this.ctl, this.qpWord(peer, Q_WANTS_ROOM), 1);
  }
}
