/**
 * NPB EP: Gaussian pairs by acceptance-rejection (Marsaglia polar method),
 * tallied in square annuli. Batch k of 2^16 pairs starts at seed·a^(2^17·k)
 * in one global sequence, so any process count gives the same sums up to
 * summation order. Only communication: the final sum/max reductions.
 * Algorithm and constants after NPB3.4-MPI/EP/ep.f and ep_data.f.
 */
import { type Comm, Op } from "tsmpi";
import { parseClass } from "./common/cli.ts";
import { Log } from "./common/log.ts";
import { A_NPB, mulMod46, powMod46, vranlc } from "./common/randlc.ts";
import { profiled } from "./common/profile.ts";
import { finish, type NasResult } from "./common/report.ts";
import { cpuLine, startTimer } from "./common/timer.ts";
import { EP, type NasClass, relativeError, withinTolerance } from "./verification.ts";

const MK = 16;
const NQ = 10;
const SEED = 271828183;

/**
 * One batch: accept the pairs inside the unit disc, add their Gaussian
 * deviates to acc = [sx, sy] and count them by annulus. A plain synchronous
 * function on purpose: in an async function every local that lives across an
 * await is kept in the generator's heap frame, so the running sums would be
 * boxed doubles, one allocation per accepted pair.
 */
function gaussianPairs(x: Float64Array, nk: number, q: Float64Array, acc: Float64Array, log: Log): void {
  let sx = acc[0]!;
  let sy = acc[1]!;
  for (let i = 0; i < nk; i++) {
    const x1 = 2 * x[2 * i]! - 1;
    const x2 = 2 * x[2 * i + 1]! - 1;
    const t1 = x1 * x1 + x2 * x2;
    if (t1 <= 1) {
      const t2 = Math.sqrt((-2 * log.of(t1)) / t1);
      const t3 = x1 * t2;
      const t4 = x2 * t2;
      // The annulus is max(|t3|, |t4|) truncated. Math.max compiles to
      // compare-and-jump (it must order NaN and −0), and which of the two is
      // larger is a coin toss, so take the max of the truncated integers with
      // a branch-free sign mask instead (measured 34 -> 21 ns per pair).
      const la = Math.abs(t3) | 0;
      const lb = Math.abs(t4) | 0;
      const d = la - lb;
      q[la - (d & (d >> 31))]! += 1;
      sx += t3;
      sy += t4;
    }
  }
  acc[0] = sx;
  acc[1] = sy;
}

export async function runEp(world: Comm, cls: NasClass, out?: (line: string) => void): Promise<NasResult> {
  const ref = EP.classes[cls];
  const m = ref.m;
  const nk = 1 << MK; // sizes stay small integers (see is.ts)
  const batches = 1 << (m - MK);
  const np = world.size;
  if (batches < np) throw new Error(`EP class ${cls}: ${np} processes leave some without a batch; use at most ${batches}`);
  const x = new Float64Array(2 * nk);
  const q = new Float64Array(NQ);
  const log = new Log();

  // Warm the generator and buffers once, outside the timer (as ep.f does).
  // The pair loop is warmed by many short calls, not one long one: V8 then
  // compiles the whole function with feedback for every line. After one long
  // first call it had compiled only the loop (on-stack replacement), whose
  // code lacked feedback for the stores after the loop and was deoptimised
  // at the end of every batch: 512 times a class W run, 1.07 -> 0.84 CPU s.
  vranlc(2 * nk, A_NPB, A_NPB, x, 0);
  for (let w = 0; w < 300; w++) gaussianPairs(x, 128, new Float64Array(NQ), new Float64Array(2), log);
  await world.barrier();
  const stop = startTimer();

  const an = powMod46(A_NPB, 2 * nk);
  const base = (batches / np) | 0;
  const extra = batches % np;
  const mine = base + (world.rank < extra ? 1 : 0);
  const first = world.rank * base + Math.min(world.rank, extra);
  const acc = new Float64Array(2); // sx, sy
  for (let b = 0; b < mine; b++) {
    const seed = mulMod46(powMod46(an, first + b), SEED);
    vranlc(2 * nk, seed, A_NPB, x, 0);
    gaussianPairs(x, nk, q, acc, log);
  }
  const sums = await world.allreduce(acc, Op.SUM);
  const counts = await world.allreduce(q, Op.SUM);
  const elapsed = stop();
  const time = await world.allreduce(elapsed.wall, Op.MAX);

  const sx = sums[0]!;
  const sy = sums[1]!;
  let gc = 0;
  for (let i = 0; i < NQ; i++) gc += counts[i]!;
  const errX = relativeError(sx, ref.sx);
  const errY = relativeError(sy, ref.sy);
  const verified = withinTolerance(errX, EP.tolerance) && withinTolerance(errY, EP.tolerance);
  const mops = 2 ** (m + 1) / time / 1e6;
  return finish(
    world.rank,
    {
      kernel: "EP",
      class: cls,
      np,
      time,
      mops,
      verified,
      values: { sx, sy },
      size: `2^${m + 1}`,
      iterations: 0,
      activeProcesses: np,
      details: [
        `No. Gaussian pairs = ${gc}`,
        `sx = ${sx}  (reference ${ref.sx}, relative error ${errX})`,
        `sy = ${sy}  (reference ${ref.sy}, relative error ${errY})`,
        `Counts: ${Array.from(counts).join(" ")}`,
        cpuLine(elapsed, mops, time),
      ],
    },
    out,
  );
}

export default async function main(world: Comm, args: string[]): Promise<NasResult> {
  return profiled(world, "EP", () => runEp(world, parseClass(args, "EP"), undefined));
}
