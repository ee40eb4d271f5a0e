/**
 * The NPB-style report every kernel prints on rank 0, ending with one
 * machine-readable `RESULT {...}` line, and the value `main` resolves to.
 */

export interface NasResult {
  kernel: string;
  class: string;
  np: number;
  time: number;
  mops: number;
  verified: boolean;
  values: Record<string, unknown>;
}

export interface ReportInput extends NasResult {
  /** Problem size as NPB prints it, e.g. "64x64x64" or "1400". */
  size: string;
  iterations: number;
  /** Ranks that did work (MG leaves ranks beyond a power of two idle). */
  activeProcesses: number;
  /** Extra lines (verification quantities at full precision). */
  details: string[];
}

export function printReport(r: ReportInput, out: (line: string) => void = console.log): void {
  out("");
  out(` NAS Parallel Benchmarks (tsmpi) -- ${r.kernel} Benchmark`);
  out("");
  out(` Class           =                        ${r.class}`);
  out(` Size            =             ${r.size.padStart(12)}`);
  out(` Iterations      =             ${String(r.iterations).padStart(12)}`);
  out(` Time in seconds =             ${r.time.toFixed(4).padStart(12)}`);
  out(` Total processes =             ${String(r.np).padStart(12)}`);
  if (r.activeProcesses !== r.np) out(` Active processes=             ${String(r.activeProcesses).padStart(12)}`);
  out(` Mop/s total     =             ${r.mops.toFixed(2).padStart(12)}`);
  out(` Mop/s/process   =             ${(r.mops / r.activeProcesses).toFixed(2).padStart(12)}`);
  for (const line of r.details) out(` ${line}`);
  out(` Verification    =               ${r.verified ? "SUCCESSFUL" : "FAILED"}`);
  out("");
  const result: NasResult = {
    kernel: r.kernel,
    class: r.class,
    np: r.np,
    time: r.time,
    mops: r.mops,
    verified: r.verified,
    values: r.values,
  };
  out(`RESULT ${JSON.stringify(result)}`);
}

/** Prints (rank 0), and makes a failed verification an error so the job exits non-zero. */
export function finish(rank: number, r: ReportInput, out?: (line: string) => void): NasResult {
  if (rank === 0) printReport(r, out);
  if (!r.verified) throw new Error(`${r.kernel} class ${r.class}: verification FAILED (np=${r.np}); see the values printed above`);
  return { kernel: r.kernel, class: r.class, np: r.np, time: r.time, mops: r.mops, verified: r.verified, values: r.values };
}
