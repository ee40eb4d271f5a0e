/** Command-line options of bench/p2p/osu.ts (passed after the program path). */
import { numberOption, parseCli } from "../lib/cli.ts";
import { defaultSizes, parseSizes } from "../lib/sizes.ts";

export interface OsuOptions {
  sizes: number[];
  /** Where rank 0 writes the JSON result (none: only the tables are printed). */
  out: string | undefined;
  /** Timed repeats per size; the median is reported, with min and max in the JSON (and with --full). */
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
  /** No tables on stdout (the caller reads the JSON). */
  quiet: boolean;
  /** OSU's -f layout: min, max and iterations columns beside each figure. */
  full: boolean;
  /** Print the usage and do nothing else. */
  help: boolean;
}

export const osuUsage =
  "tsmpi run -n 2 bench/p2p/osu.ts [--sizes 0:4M|8,1K,1M] [--out file.json] [--repeats 5] [--window 64] [--scale 1] [--only latency,bw,bibw] [--idle-waiters] [--full] [--quiet]";

export function parseOsuOptions(args: readonly string[]): OsuOptions {
  const { values: v } = parseCli(args, osuUsage, {
    sizes: { type: "string" },
    out: { type: "string" },
    repeats: { type: "string" },
    window: { type: "string" },
    scale: { type: "string" },
    only: { type: "string" },
    "idle-waiters": { type: "boolean" },
    full: { type: "boolean" },
    quiet: { type: "boolean" },
  });
  const which = v.only?.split(",") ?? ["latency", "bw", "bibw"];
  for (const w of which) if (!["latency", "bw", "bibw"].includes(w)) throw new Error(`--only takes latency, bw, bibw; got "${w}"\nusage: ${osuUsage}`);
  const idleWaiters = Boolean(v["idle-waiters"]);
  // The 4-rank oversubscription test is about waiting latency, so by default
  // it runs the ping-pong only, on the size the target names (8 B).
  const onlyPingPong = idleWaiters && v.only === undefined;
  return {
    sizes: v.sizes !== undefined ? parseSizes(v.sizes) : idleWaiters ? [8] : defaultSizes,
    out: v.out,
    repeats: Math.round(numberOption(v.repeats, "repeats", osuUsage) ?? 5),
    window: Math.round(numberOption(v.window, "window", osuUsage) ?? 64),
    scale: numberOption(v.scale, "scale", osuUsage) ?? 1,
    idleWaiters,
    latency: which.includes("latency"),
    bandwidth: !onlyPingPong && which.includes("bw"),
    bibw: !onlyPingPong && which.includes("bibw"),
    quiet: Boolean(v.quiet),
    full: Boolean(v.full),
    help: Boolean(v.help),
  };
}
