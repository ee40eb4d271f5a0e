/**
 * What `tsmpi model calibrate` fits: per transport, two numbers — a cost per
 * frame and a cost per byte — set on mechanisms of that transport's path
 * (transports/<name>/path.ts), every other mechanism of the path 0 because
 * the live emulation has no separate cost there (its wire is loopback; its
 * doorbell is a function call) and the fitted pair carries it. Transports are
 * fitted in order: shm first (its per-frame number is the rank CPU at both
 * ends of every path), then vf (whose interrupt and DMA-per-byte numbers
 * slurpoe's path shares), then bridged and slurpoe on top.
 *
 * The fit is on relative errors: the simulator's prediction is linear in the
 * two numbers as long as the critical path keeps its shape, so each step
 * measures that line by finite differences and solves for the numbers that
 * minimise the worst relative error against the live medians (weighted least
 * squares, re-weighted to the minimax solution).
 */
import type { MechanismName } from "../../src/transport/cost.ts";
import type { Transport } from "./runs.ts";

export interface Knobs {
  /** Seconds per frame on the transport's own stage(s). */
  perFrame: number;
  /** Seconds per byte on the transport's own stage(s). */
  perByte: number;
}

type Values = Partial<Record<MechanismName, number>>;

export interface KnobMap {
  /** Which mechanisms the two numbers are, in words (for the sources). */
  perFrame: string;
  perByte: string;
  /** The mechanism the per-byte number sets (the others are per frame, or `notes` say what they are). */
  byteMechanism: MechanismName;
  notes?: Partial<Record<MechanismName, string>>;
  set(k: Knobs): Values;
}

/** slurpoe charges per byte as `nic.frame / nic.mtu` per packet: the mtu that gives `perByte`. */
const mtuFor = (k: Knobs): number => (k.perByte > 0 && k.perFrame > 0 ? k.perFrame / k.perByte : 1e12);

export const KNOBS: Record<Transport, KnobMap> = {
  shm: {
    perFrame: "the rank CPU per frame at each end (cpu.send = cpu.receive)",
    perByte: "one copy pass per byte (memory.copy)",
    byteMechanism: "memory.copy",
    set: (k) => ({ "cpu.send": k.perFrame, "cpu.receive": k.perFrame, "memory.copy": k.perByte }),
  },
  vf: {
    perFrame: "the receiving side's completion per frame (irq.handler)",
    perByte: "the DMA per byte at each end (pcie.byte)",
    byteMechanism: "pcie.byte",
    set: (k) => ({ "irq.handler": k.perFrame, "pcie.byte": k.perByte }),
  },
  bridged: {
    perFrame: "each bridge traversal per frame (bridge.frame)",
    perByte: "each bridge traversal per byte (bridge.byte)",
    byteMechanism: "bridge.byte",
    set: (k) => ({ "bridge.frame": k.perFrame, "bridge.byte": k.perByte }),
  },
  slurpoe: {
    perFrame: "the NIC engine per packet (nic.frame)",
    perByte: "the NIC engine per byte (nic.frame / nic.mtu)",
    byteMechanism: "nic.mtu",
    set: (k) => ({ "nic.frame": k.perFrame, "nic.mtu": mtuFor(k) }),
  },
};

/**
 * shm's per-frame number when it is more than the other paths leave room for
 * (`cap`: a quarter of the fastest inter-VM 8 B half round trip, time-sharing
 * included, so both ends' CPU stay under half of it). Ranks of one VM can take longer per frame than
 * any other path's CPU work — waking a sleeping thread of the same process,
 * on a loaded machine — and that is not CPU work every path pays: the CPU
 * numbers stay at the cap and the rest is a latency of shm's own
 * (`shm.notify`, the notification reaching the other rank).
 */
export function shmOverCap(cap: number): KnobMap {
  return {
    perFrame: `the notification's latency per frame (shm.notify), the rank CPU at each end capped at ${(cap * 1e6).toFixed(2)} us`,
    perByte: "one copy pass per byte (memory.copy)",
    byteMechanism: "memory.copy",
    notes: {
      "cpu.send": "the rank CPU per frame at each end, capped at a quarter of the fastest inter-VM 8 B half round trip",
      "cpu.receive": "the rank CPU per frame at each end, capped at a quarter of the fastest inter-VM 8 B half round trip",
    },
    set: (k) => ({ "cpu.send": cap, "cpu.receive": cap, "shm.notify": k.perFrame, "memory.copy": k.perByte }),
  };
}

/** The mechanisms no fit sets, with why the live emulation has no separate cost there. */
export const FIXED = {
  shm: { values: { "shm.notify": 0 }, why: "the flag's latency is inside the fitted per-frame CPU" },
  wire: {
    values: { "link.frame": 0, "link.byte": 0, "link.latency": 0 },
    why: "the live emulation's wire between hosts is loopback TCP, its cost inside each transport's fitted numbers",
  },
  completion: {
    values: { "pcie.dma": 0, "irq.exit": 0, "irq.coalesceTime": 0, "irq.coalesceFrames": 1, "completion.poll": 0, "poll.detect": 0 },
    why: "live completions are events on a socket or ring, their cost inside the fitted per-frame number",
  },
  bridged: { values: { "xen.notify": 0, "xen.virq": 0 }, why: "the live guest-to-bridge hop is a socket write, inside bridge.frame" },
  slurpoe: {
    values: {
      "nic.descriptor": 0,
      "nic.fetch": 0,
      "nic.fetchBatch": 1,
      "doorbell.host": 0,
      "doorbell.pcie": 0,
      "doorbell.batch": 1,
      "nic.onHost": 0,
    },
    why: "the live doorbell and descriptor fetch are shared-memory operations of the NIC thread, inside nic.frame",
  },
  vfShared: { values: { "irq.handler": 0, "pcie.byte": 0 }, why: "vf was not calibrated, so slurpoe's fitted numbers carry its whole path" },
} satisfies Record<string, { values: Values; why: string }>;

/**
 * The (perFrame, perByte) ≥ 0 minimising Σ wᵢ ((cᵢ + aᵢ·P + bᵢ·B − mᵢ) / mᵢ)²:
 * the prediction is `c + a·P + b·B` for each observable, `m` the measured
 * values, `w` their weights (default 1). When the unconstrained optimum has a
 * negative number, the better of the two one-number fits (the other 0) is taken.
 */
export function solveRelative(m: readonly number[], c: readonly number[], a: readonly number[], b: readonly number[], w?: readonly number[]): Knobs {
  let saa = 0;
  let sab = 0;
  let sbb = 0;
  let sar = 0;
  let sbr = 0;
  for (let i = 0; i < m.length; i++) {
    const wi = (w?.[i] ?? 1) / (m[i]! * m[i]!);
    const r = m[i]! - c[i]!;
    saa += wi * a[i]! * a[i]!;
    sab += wi * a[i]! * b[i]!;
    sbb += wi * b[i]! * b[i]!;
    sar += wi * a[i]! * r;
    sbr += wi * b[i]! * r;
  }
  const cost = (k: Knobs): number => {
    let s = 0;
    for (let i = 0; i < m.length; i++) s += (w?.[i] ?? 1) * ((c[i]! + a[i]! * k.perFrame + b[i]! * k.perByte - m[i]!) / m[i]!) ** 2;
    return s;
  };
  const det = saa * sbb - sab * sab;
  if (det > 1e-12 * saa * sbb) {
    const P = (sar * sbb - sbr * sab) / det;
    const B = (sbr * saa - sar * sab) / det;
    if (P >= 0 && B >= 0) return { perFrame: P, perByte: B };
  }
  const candidates: Knobs[] = [
    { perFrame: saa > 0 ? Math.max(0, sar / saa) : 0, perByte: 0 },
    { perFrame: 0, perByte: sbb > 0 ? Math.max(0, sbr / sbb) : 0 },
  ];
  return candidates.reduce((best, k) => (cost(k) < cost(best) ? k : best));
}

/** The largest weighted relative error of the prediction `c + a·P + b·B` against `m`. */
export function worstError(k: Knobs, m: readonly number[], c: readonly number[], a: readonly number[], b: readonly number[], importance: readonly number[]): number {
  let worst = 0;
  for (let i = 0; i < m.length; i++) worst = Math.max(worst, importance[i]! * Math.abs((c[i]! + a[i]! * k.perFrame + b[i]! * k.perByte - m[i]!) / m[i]!));
  return worst;
}

/**
 * The numbers that minimise the worst relative error (each weighted by its
 * `importance`) rather than the sum of squares: the bands compare checks are
 * on every row, so the fit spreads its error evenly. Lawson's iteration:
 * least squares re-weighted by each observable's error, which converges to
 * the minimax solution; the best iterate is kept (the non-negative bounds can
 * make it wander).
 */
export function solveMinimax(m: readonly number[], c: readonly number[], a: readonly number[], b: readonly number[], importance: readonly number[]): Knobs {
  let w = m.map((_, i) => importance[i]! ** 2);
  let best = solveRelative(m, c, a, b, w);
  let bestError = worstError(best, m, c, a, b, importance);
  for (let step = 0; step < 200; step++) {
    const k = solveRelative(m, c, a, b, w);
    const e = worstError(k, m, c, a, b, importance);
    if (e < bestError) {
      best = k;
      bestError = e;
    }
    const errors = m.map((mi, i) => importance[i]! * Math.abs((c[i]! + a[i]! * k.perFrame + b[i]! * k.perByte - mi) / mi));
    const next = w.map((wi, i) => wi * errors[i]!);
    const total = next.reduce((x, y) => x + y, 0);
    if (!(total > 0)) break;
    w = next.map((x) => x / total);
  }
  return best;
}

/**
 * Fits a transport's two numbers: `predict` runs the simulator with them and
 * returns the observables (same order as `measured` and `importance`). Starts from `start`,
 * re-linearises around each solution, stops when the numbers move < 1 %.
 */
export async function fitKnobs(
  measured: readonly number[],
  importance: readonly number[],
  start: Knobs,
  predict: (k: Knobs) => Promise<number[]>,
  steps = 3,
): Promise<{ knobs: Knobs; predicted: number[] }> {
  let k = { perFrame: Math.max(start.perFrame, 1e-8), perByte: Math.max(start.perByte, 1e-12) };
  for (let step = 0; step < steps; step++) {
    const y0 = await predict(k);
    const dP = k.perFrame * 0.5;
    const dB = k.perByte * 0.5;
    const yP = await predict({ perFrame: k.perFrame + dP, perByte: k.perByte });
    const yB = await predict({ perFrame: k.perFrame, perByte: k.perByte + dB });
    const a = y0.map((y, i) => (yP[i]! - y) / dP);
    const b = y0.map((y, i) => (yB[i]! - y) / dB);
    const c = y0.map((y, i) => y - a[i]! * k.perFrame - b[i]! * k.perByte);
    const next = solveMinimax(measured, c, a, b, importance);
    // Keep both numbers positive so the next finite difference has a step.
    const moved = Math.abs(next.perFrame / k.perFrame - 1) + Math.abs(next.perByte / k.perByte - 1);
    k = { perFrame: Math.max(next.perFrame, 1e-9), perByte: Math.max(next.perByte, 1e-13) };
    if (moved < 0.01) break;
  }
  return { knobs: k, predicted: await predict(k) };
}
