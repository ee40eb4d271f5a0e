/** Command-line options of bench/p2p/osu.ts (passed after the program path). */
import { defaultSizes, parseSizes } from "../lib/sizes.ts";

export interface OsuOptions {
  sizes: number[];
  /** Where rank 0 writes the JSON result (none: only the table is printed). */
  out: string | undefined;
  /** Timed repeats per size; the median and min are reported. */
  repeats: number;
  /** Messages in flight in the bandwidth tests (OSU's default is 64). */
  window: number;
  /** Multiplies every iteration count (0.01 for a smoke run). */
  scale: number;
  /** Ranks 2 and 3 wait in recv on a tag nobody sends while 0 and 1 ping-pong. */
  idleWaiters: boolean;
  /** Which tests run. */
  latency: boolean;
  bandwidth: boolean;
  bibw: boolean;
  /** No table on stdout (the caller reads the JSON). */
  quiet: boolean;
}

export const osuUsage =
  "osu.ts [--sizes 0:4M|8,1K,1M] [--out file.json] [--repeats 5] [--window 64] [--scale 1] [--only latency,bw,bibw] [--idle-waiters] [--quiet]";

export function parseOsuOptions(args: readonly string[]): OsuOptions {
  const o: OsuOptions = {
    sizes: defaultSizes,
    out: undefined,
    repeats: 5,
    window: 64,
    scale: 1,
    idleWaiters: false,
    latency: true,
    bandwidth: true,
    bibw: true,
    quiet: false,
  };
  let sizesGiven = false;
  let onlyGiven = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = (): string => {
      const v = args[++i];
      if (v === undefined) throw new Error(`${a} needs a value; usage: ${osuUsage}`);
      return v;
    };
    const positive = (name: string, text: string): number => {
      const n = Number(text);
      if (!(n > 0)) throw new Error(`${name} must be a positive number, got "${text}"; usage: ${osuUsage}`);
      return n;
    };
    if (a === "--sizes") {
      o.sizes = parseSizes(value());
      sizesGiven = true;
    } else if (a === "--out") o.out = value();
    else if (a === "--repeats") o.repeats = Math.round(positive(a, value()));
    else if (a === "--window") o.window = Math.round(positive(a, value()));
    else if (a === "--scale") o.scale = positive(a, value());
    else if (a === "--idle-waiters") o.idleWaiters = true;
    else if (a === "--quiet") o.quiet = true;
    else if (a === "--only") {
      const which = value().split(",");
      for (const w of which) if (!["latency", "bw", "bibw"].includes(w)) throw new Error(`--only takes latency, bw, bibw; got "${w}"`);
      o.latency = which.includes("latency");
      o.bandwidth = which.includes("bw");
      o.bibw = which.includes("bibw");
      onlyGiven = true;
    } else throw new Error(`unknown option "${a}"; usage: ${osuUsage}`);
  }
  // The 4-rank oversubscription test is about waiting latency, so by default
  // it runs the ping-pong only, on the size the target names (8 B).
  if (o.idleWaiters) {
    if (!sizesGiven) o.sizes = [8];
    if (!onlyGiven) o.bandwidth = o.bibw = false;
  }
  return o;
}
