/** Command-line handling shared by the kernels: `--class X` (default S). */
import { MpiError } from "tsmpi";
import { CLASSES, type NasClass } from "../verification.ts";

export function parseClass(args: string[], kernel: string): NasClass {
  let cls = "S";
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--class" || a === "-c") cls = (args[++i] ?? "").toUpperCase();
    else if (a.startsWith("--class=")) cls = a.slice(8).toUpperCase();
  }
  if (!(CLASSES as readonly string[]).includes(cls)) {
    throw new MpiError("ERR_ARG", `${kernel}: unknown class "${cls}"; use --class S, W, A or B`);
  }
  return cls as NasClass;
}

/** True when n is a power of two (1, 2, 4, ...). */
export function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

/** The largest power of two not above n. */
export function floorPowerOfTwo(n: number): number {
  let p = 1;
  while (p * 2 <= n) p *= 2;
  return p;
}
