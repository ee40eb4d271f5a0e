/**
 * Thin adapter over benny for single-process micro-benchmarks: one call runs
 * a suite of named cases and returns plain rows (ops/s, margin), stamped like
 * every other result, so callers never touch benny's types. benny times one
 * process only; anything with two ranks belongs in bench/p2p.
 */
import b from "benny";
import { type Stamp, stamp } from "./stamp.ts";
import { formatTable } from "./table.ts";

export interface MicroRow {
  name: string;
  opsPerSecond: number;
  /** Relative margin of error, percent. */
  marginPercent: number;
  samples: number;
  /** Nanoseconds per operation (1e9 / ops). */
  nsPerOp: number;
}

export interface MicroResult {
  suite: string;
  stamp: Stamp;
  rows: MicroRow[];
}

export interface MicroOptions {
  /** Seconds each case runs at most (default 1). */
  maxTime?: number;
  /** Seconds each case runs at least (default 0.25). */
  minTime?: number;
}

export async function runMicro(suite: string, cases: Record<string, () => unknown>, options: MicroOptions = {}): Promise<MicroResult> {
  const summary = await b.suite(
    suite,
    b.configure({ cases: { maxTime: options.maxTime ?? 1, minTime: options.minTime ?? 0.25 } }),
    ...Object.entries(cases).map(([name, fn]) => b.add(name, fn)),
  );
  return {
    suite,
    stamp: stamp(),
    rows: summary.results.map((r) => ({ name: r.name, opsPerSecond: r.ops, marginPercent: r.margin, samples: r.samples, nsPerOp: 1e9 / r.ops })),
  };
}

export function formatMicro(r: MicroResult): string {
  return `# ${r.suite}\n${formatTable(
    [
      { title: "case", align: "left" },
      { title: "ns/op", digits: 1 },
      { title: "ops/s", digits: 0 },
      { title: "±%", digits: 1 },
    ],
    r.rows.map((x) => [x.name, x.nsPerOp, x.opsPerSecond, x.marginPercent]),
  )}`;
}
