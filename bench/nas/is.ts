/**
 * NPB IS: bucketed integer ranking. Keys are split into buckets by their top
 * bits; a sum-allreduce of bucket counts (with the five test keys riding in
 * extra slots) decides which contiguous bucket run each rank owns; an
 * all-to-all of counts and an all-to-allv of keys move them there; each rank
 * then ranks its keys by counting. After NPB3.4-MPI/IS/is.c.
 */
import { type Comm, Op } from "tsmpi";
import { isPowerOfTwo, parseClass } from "./common/cli.ts";
import { alltoallInto } from "./common/exchange.ts";
import { A_NPB, Randlc, vranlc } from "./common/randlc.ts";
import { profiled } from "./common/profile.ts";
import { finish, type NasResult } from "./common/report.ts";
import { cpuLine, startTimer } from "./common/timer.ts";
import { IS, type NasClass } from "./verification.ts";

const SEED = 314159265;
const TEST = 5;

// The loops over keys are plain top-level functions over typed-array
// arguments. Inside the async `rank` closure they ran 3-5x slower: every
// variable a closure shares with its parent lives in a heap context, re-read
// on each use, and a `let` reassigned anywhere (keyBuff2) can never be
// treated as a constant.
//
// They are unrolled by four. V8 re-checks a typed array's map and reloads
// its length and data pointer on every loop trip (it does not hoist checks
// out of loops); within one trip the checks are shared, so four keys per
// trip pay them once. Measured on 2^20 keys: bucket counts 2.0 -> 1.3 ms,
// the scatter into buckets 3.8 -> 2.0 ms.
//
// And each function is one loop with nothing after it; the odd keys are
// done before the loop. The first call's loop is compiled on the fly
// (on-stack replacement) together with the code after it, which has not
// run yet and so has no type feedback; that code deoptimised on every later
// call (bucketSort and countBelow, when they were two- and three-loop
// functions, deoptimised 20 times a run and ran half their keys in the
// interpreter).

/**
 * NPB's create_seq: key i = ⌊k4·(r₁ + r₂ + r₃ + r₄)⌋ from the next four
 * randoms. They come from vranlc in chunks (one call per random allocated a
 * boxed double each: 4M objects for class W, and their garbage collection
 * ran on into the timed region).
 */
function makeKeys(keys: Int32Array, n: number, seed: number, k4: number): void {
  const chunk = 1 << 12; // keys per vranlc call
  const r = new Float64Array(4 * chunk);
  let x = seed;
  for (let first = 0; first < n; first += chunk) {
    const count = Math.min(chunk, n - first);
    x = vranlc(4 * count, x, A_NPB, r, 0);
    for (let i = 0; i < count; i++) keys[first + i] = (k4 * (r[4 * i]! + r[4 * i + 1]! + r[4 * i + 2]! + r[4 * i + 3]!)) | 0;
  }
}

/** counts[(keys[i] >> shift) − min]++ for i < n. */
function countKeys(keys: Int32Array, n: number, shift: number, min: number, counts: Int32Array): void {
  const odd = n & 3;
  for (let i = 0; i < odd; i++) counts[(keys[i]! >> shift) - min]!++;
  for (let i = odd; i < n; i += 4) {
    const k0 = (keys[i]! >> shift) - min;
    const k1 = (keys[i + 1]! >> shift) - min;
    const k2 = (keys[i + 2]! >> shift) - min;
    const k3 = (keys[i + 3]! >> shift) - min;
    counts[k0]!++;
    counts[k1]!++;
    counts[k2]!++;
    counts[k3]!++;
  }
}

/** starts[b] = Σ counts[0..b) for b < n (where bucket b's keys begin). */
function bucketStarts(counts: Int32Array, starts: Int32Array, n: number): void {
  starts[0] = 0;
  for (let b = 1; b < n; b++) starts[b] = starts[b - 1]! + counts[b - 1]!;
}

/** counts[v] = Σ counts[0..v], in place, for v < n. */
function runningSums(counts: Int32Array, n: number): void {
  let running = 0;
  for (let v = 0; v < n; v++) {
    running += counts[v]!;
    counts[v] = running;
  }
}

/** Each key to out[starts[its bucket]++]: keys grouped by bucket, in order within a bucket. */
function scatter(keys: Int32Array, n: number, shift: number, starts: Int32Array, out: Int32Array): void {
  const odd = n & 3;
  for (let i = 0; i < odd; i++) out[starts[keys[i]! >> shift]!++] = keys[i]!;
  for (let i = odd; i < n; i += 4) {
    const k0 = keys[i]!;
    const k1 = keys[i + 1]!;
    const k2 = keys[i + 2]!;
    const k3 = keys[i + 3]!;
    out[starts[k0 >> shift]!++] = k0;
    out[starts[k1 >> shift]!++] = k1;
    out[starts[k2 >> shift]!++] = k2;
    out[starts[k3 >> shift]!++] = k3;
  }
}

export async function runIs(world: Comm, cls: NasClass, out?: (line: string) => void): Promise<NasResult> {
  const p = IS.classes[cls];
  const np = world.size;
  const me = world.rank;
  if (!isPowerOfTwo(np) || np > p.maxProcs) {
    throw new Error(`IS class ${cls}: needs a power-of-two process count up to ${p.maxProcs}, got ${np}`);
  }
  const iterations = IS.iterations;
  // Sizes as small integers (1 << k, not 2 ** k or a division): a size held
  // as a boxed double made V8 deoptimise countBelow on every call (its loop
  // bound compares had only ever seen doubles), 11 times a run.
  const totalKeys = 1 << p.totalKeysLog2;
  const maxKey = 1 << p.maxKeyLog2;
  const buckets = 1 << p.bucketsLog2;
  const shift = p.maxKeyLog2 - p.bucketsLog2;
  const numKeys = totalKeys >> Math.log2(np);
  // Keys cluster near the middle, so a rank can receive more than its share; is.c sizes buffers 3/2 of a share.
  const bufferSize = Math.max((3 * numKeys) >> 1, 1024);

  const keyArray = new Int32Array(bufferSize);
  const keyBuff1 = new Int32Array(Math.max(bufferSize, maxKey));
  let keyBuff2 = new Int32Array(bufferSize);
  const bucketSize = new Int32Array(buckets + TEST);
  const bucketPtrs = new Int32Array(buckets);
  const ptr1 = new Int32Array(np);
  const ptr2 = new Int32Array(np);
  const sendCount = new Int32Array(np);
  const recvCount = new Int32Array(np);
  const ones = new Array<number>(np).fill(1);

  // Rank me's keys start 4·me·numKeys randoms into the global sequence.
  const rng = new Randlc(SEED);
  rng.jumpAhead(A_NPB, 4 * me * numKeys);
  makeKeys(keyArray, numKeys, rng.x, maxKey >> 2);

  let passed = 0;
  let localKeys = 0;
  let minKeyVal = 0;

  const rank = async (iteration: number, count: boolean): Promise<void> => {
    if (me === 0) {
      keyArray[iteration] = iteration;
      keyArray[iteration + iterations] = maxKey - iteration;
    }
    bucketSize.fill(0);
    for (let i = 0; i < TEST; i++) {
      const idx = p.testIndex[i]!;
      if (Math.floor(idx / numKeys) === me) bucketSize[buckets + i] = keyArray[idx % numKeys]!;
    }
    countKeys(keyArray, numKeys, shift, 0, bucketSize);
    bucketStarts(bucketSize, bucketPtrs, buckets);
    scatter(keyArray, numKeys, shift, bucketPtrs, keyBuff1);
    const totals = await world.allreduce(bucketSize, Op.SUM);

    // Contiguous bucket runs, each closing once the running total passes (j+1)·numKeys.
    let acc = 0;
    let localAcc = 0;
    let j = 0;
    ptr1[0] = 0;
    for (let i = 0; i < buckets; i++) {
      acc += totals[i]!;
      localAcc += bucketSize[i]!;
      if (acc >= (j + 1) * numKeys) {
        sendCount[j] = localAcc;
        if (j !== 0) ptr1[j] = ptr2[j - 1]! + 1;
        ptr2[j++] = i;
        localAcc = 0;
      }
    }
    while (j < np) {
      sendCount[j] = 0;
      ptr1[j] = 1;
      j++;
    }
    await alltoallInto(world, sendCount, ones, recvCount, ones, 1);
    let total = 0;
    for (let i = 0; i < np; i++) total += recvCount[i]!;
    if (total > keyBuff2.length) keyBuff2 = new Int32Array(total);
    // Buckets were laid out in rank order, so send displacements are the running sums of the counts.
    await alltoallInto(world, keyBuff1, Array.from(sendCount), keyBuff2, Array.from(recvCount), 2);

    minKeyVal = ptr1[me]! << shift;
    const maxKeyVal = ((ptr2[me]! + 1) << shift) - 1;
    const width = maxKeyVal - minKeyVal + 1;
    let lesser = 0;
    for (let k = 0; k < me; k++) for (let i = ptr1[k]!; i <= ptr2[k]!; i++) lesser += totals[i]!;
    localKeys = total;
    // Key populations, then running sums: keyBuff1[v − min] = local keys ≤ v.
    keyBuff1.fill(0, 0, Math.max(width, 0));
    countKeys(keyBuff2, total, 0, minKeyVal, keyBuff1);
    runningSums(keyBuff1, width);

    if (!count) return;
    for (let i = 0; i < TEST; i++) {
      const k = totals[buckets + i]!;
      if (minKeyVal <= k && k <= maxKeyVal) {
        const below = k - 1 >= minKeyVal ? keyBuff1[k - 1 - minKeyVal]! : 0;
        const keyRank = below + lesser;
        const expected = p.testRank[i]! + p.coef[i]! * iteration + p.constant[i]!;
        if (keyRank === expected) passed++;
        else (out ?? console.log)(`Failed partial verification: iteration ${iteration}, rank ${me}, test key ${i}, key rank ${keyRank}, expected ${expected}`);
      }
    }
  };

  // Untimed iterations to touch every page and table, as is.c does with one.
  // V8 compiles a function only after it has run (and on-stack-replaces a
  // long first call), so one call of each is not enough for the timed region
  // to run compiled code from its start; three are. They change nothing:
  // iteration 1 sets the same two keys each time.
  for (let warm = 0; warm < 3; warm++) await rank(1, false);
  passed = 0;
  await world.barrier();
  const stop = startTimer();
  for (let it = 1; it <= iterations; it++) await rank(it, true);
  const elapsed = stop();
  const time = await world.allreduce(elapsed.wall, Op.MAX);

  // Full verification: place each key by its rank, then check order locally and across the boundary.
  // A rank can hold more keys than its share, so the sorted copy gets its own array.
  const sorted = localKeys <= keyArray.length ? keyArray : new Int32Array(localKeys);
  for (let i = 0; i < localKeys; i++) {
    const key = keyBuff2[i]!;
    sorted[--keyBuff1[key - minKeyVal]!] = key;
  }
  const last = localKeys < 1 ? 0 : localKeys - 1;
  let disorder = 0;
  const fromLeft = me > 0 ? world.recv<Int32Array>(me - 1, 1000) : undefined;
  if (me < np - 1) await world.send(Int32Array.of(sorted[last]!), me + 1, 1000);
  if (fromLeft) {
    const k = (await fromLeft).data[0]!;
    if (localKeys > 0 && k > sorted[0]!) disorder++;
  }
  for (let i = 1; i < localKeys; i++) if (sorted[i - 1]! > sorted[i]!) disorder++;
  const fullOk = disorder === 0;
  if (fullOk) passed++;
  else (out ?? console.log)(`Rank ${me}: full verify: ${disorder} keys out of sort`);

  const partialPassed = await world.allreduce(passed - (fullOk ? 1 : 0), Op.SUM);
  const fullPassed = await world.allreduce(fullOk ? 1 : 0, Op.SUM);
  const verified = partialPassed + fullPassed === TEST * iterations + np;
  const mops = (iterations * totalKeys) / time / 1e6;
  return finish(
    me,
    {
      kernel: "IS",
      class: cls,
      np,
      time,
      mops,
      verified,
      values: { is_partial_passed: partialPassed, is_full_verify: fullPassed === np },
      size: String(totalKeys),
      iterations,
      activeProcesses: np,
      details: [
        `Partial verification passes = ${partialPassed} of ${TEST * iterations}`,
        `Full verification (sorted)  = ${fullPassed === np ? "passed" : "failed"} on ${fullPassed} of ${np} ranks`,
        cpuLine(elapsed, mops, time),
      ],
    },
    out,
  );
}

export default async function main(world: Comm, args: string[]): Promise<NasResult> {
  return profiled(world, "IS", () => runIs(world, parseClass(args, "IS"), undefined));
}
