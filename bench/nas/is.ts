/**
 * NPB IS: bucketed integer ranking. Keys are split into buckets by their top
 * bits; a sum-allreduce of bucket counts (with the five test keys riding in
 * extra slots) decides which contiguous bucket run each rank owns; an
 * all-to-all of counts and an all-to-allv of keys move them there; each rank
 * then ranks its keys by counting. After NPB3.4-MPI/IS/is.c.
 */
import { type Comm, Op, wtime } from "tsmpi";
import { isPowerOfTwo, parseClass } from "./common/cli.ts";
import { alltoallInto } from "./common/exchange.ts";
import { A_NPB, Randlc } from "./common/randlc.ts";
import { finish, type NasResult } from "./common/report.ts";
import { IS, type NasClass } from "./verification.ts";

const SEED = 314159265;
const TEST = 5;

export async function runIs(world: Comm, cls: NasClass, out?: (line: string) => void): Promise<NasResult> {
  const p = IS.classes[cls];
  const np = world.size;
  const me = world.rank;
  if (!isPowerOfTwo(np) || np > p.maxProcs) {
    throw new Error(`IS class ${cls}: needs a power-of-two process count up to ${p.maxProcs}, got ${np}`);
  }
  const iterations = IS.iterations;
  const totalKeys = 2 ** p.totalKeysLog2;
  const maxKey = 2 ** p.maxKeyLog2;
  const buckets = 2 ** p.bucketsLog2;
  const shift = p.maxKeyLog2 - p.bucketsLog2;
  const numKeys = totalKeys / np;
  // Keys cluster near the middle, so a rank can receive more than its share; is.c sizes buffers 3/2 of a share.
  const bufferSize = Math.max((3 * numKeys) / 2, 1024);

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
  const k4 = maxKey / 4;
  for (let i = 0; i < numKeys; i++) {
    let x = rng.next(A_NPB);
    x += rng.next(A_NPB);
    x += rng.next(A_NPB);
    x += rng.next(A_NPB);
    keyArray[i] = (k4 * x) | 0;
  }

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
    for (let i = 0; i < numKeys; i++) bucketSize[keyArray[i]! >> shift]!++;
    bucketPtrs[0] = 0;
    for (let i = 1; i < buckets; i++) bucketPtrs[i] = bucketPtrs[i - 1]! + bucketSize[i - 1]!;
    for (let i = 0; i < numKeys; i++) {
      const key = keyArray[i]!;
      keyBuff1[bucketPtrs[key >> shift]!++] = key;
    }
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
    keyBuff1.fill(0, 0, Math.max(width, 0));
    let lesser = 0;
    for (let k = 0; k < me; k++) for (let i = ptr1[k]!; i <= ptr2[k]!; i++) lesser += totals[i]!;
    localKeys = total;
    // Key populations, then running sums: keyBuff1[v − min] = local keys ≤ v.
    for (let i = 0; i < total; i++) keyBuff1[keyBuff2[i]! - minKeyVal]!++;
    for (let i = 0; i < width - 1; i++) keyBuff1[i + 1]! += keyBuff1[i]!;

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

  // One untimed iteration to touch every page and table, as is.c does.
  await rank(1, false);
  passed = 0;
  await world.barrier();
  const t0 = wtime();
  for (let it = 1; it <= iterations; it++) await rank(it, true);
  const elapsed = wtime() - t0;
  const time = await world.allreduce(elapsed, Op.MAX);

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
      ],
    },
    out,
  );
}

export default async function main(world: Comm, args: string[]): Promise<NasResult> {
  return runIs(world, parseClass(args, "IS"), undefined);
}
