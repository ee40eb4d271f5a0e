// Output as fast as a rank can make it, for the bounded-output tests and
// scripts/output-flood.mjs: rank 0 prints args[0] bytes, as numbered
// 1000-character lines ("lines", console.log) or as one line without a
// newline ("one-line", process.stdout.write in 64 KiB pieces), never
// awaiting; returns the number of lines (or bytes) it printed. Other ranks
// print nothing.
import type { Comm } from "tsmpi";

export default async function main(world: Comm, args: string[]): Promise<number> {
  const bytes = Number(args[0] ?? 1 << 20);
  if (world.rank !== 0) return 0;
  if (args[1] === "one-line") {
    const piece = "x".repeat(1 << 16);
    let n = 0;
    while (n < bytes) {
      const k = Math.min(piece.length, bytes - n);
      process.stdout.write(k === piece.length ? piece : piece.slice(0, k));
      n += k;
    }
    return n;
  }
  const body = "y".repeat(1000);
  let lines = 0;
  for (let n = 0; n < bytes; lines++) {
    const line = `${lines} ${body}`;
    console.log(line);
    n += line.length + 1;
  }
  return lines;
}
