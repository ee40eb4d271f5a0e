/**
 * `tsmpi model calibrate` and `tsmpi model compare`: they run live jobs and
 * NAS kernels from bench/, so bin/tsmpi.js routes them here (the repository
 * only); `model list|validate` stay in the runtime (src/launcher/model-cli.ts).
 */
import { parseCli, UsageError } from "../lib/cli.ts";
import { calibrate, formatCalibration, writeCalibration } from "./calibrate.ts";
import { compare, compareExitCode, formatComparison, writeComparison } from "./compare.ts";
import { parseTransports, TRANSPORTS } from "./runs.ts";

export const usage = `tsmpi model calibrate --out FILE [--transports ${TRANSPORTS.join(",")}] [--name NAME]
                           [--iterations N] [--repeats N] [--rounds N] [--windows N] [--passes N]
         measure this machine's live emulation and write a model (a preset file) fitted to it
       tsmpi model compare --model NAME|FILE [--json FILE] [--strict] [--transports LIST]
                           [--iterations N] [--repeats N] [--rounds N] [--class W|S|A]
         p2p per transport, an 8-rank allreduce and NAS CG, MG, FT, IS at np 4: live vs simulated
         under the model, with the ratio and whether it is in band (p2p ±25 %, the rest ±30 %);
         exits 0 even when rows are out of band, 1 then with --strict`;

const count = (v: string | undefined, flag: string, min = 1): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${flag} must be an integer >= ${min}, got "${v}"`);
  return n;
};

const help = (): number => {
  console.log(`usage: ${usage}`);
  return 0;
};

export async function modelBench(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    if (sub === "calibrate") {
      const { values } = parseCli(rest, usage, {
        out: { type: "string" },
        transports: { type: "string", default: TRANSPORTS.join(",") },
        name: { type: "string", default: "local" },
        iterations: { type: "string" },
        repeats: { type: "string" },
        rounds: { type: "string" },
        windows: { type: "string" },
        passes: { type: "string" },
      });
      if (values.help) return help();
      if (!values.out) throw new Error("--out FILE is required: where the model goes");
      const c = await calibrate({
        transports: parseTransports(values.transports!),
        name: values.name!,
        iterations: count(values.iterations, "iterations"),
        repeats: count(values.repeats, "repeats") ?? 3,
        rounds: count(values.rounds, "rounds") ?? 2,
        windows: count(values.windows, "windows") ?? 4,
        passes: count(values.passes, "passes") ?? 200,
        computeRanks: 4,
      });
      writeCalibration(c, values.out);
      console.log(formatCalibration(c));
      console.log(`\nwrote ${values.out}; use it with --model ${values.out}`);
      return 0;
    }
    if (sub === "compare") {
      const { values } = parseCli(rest, usage, {
        model: { type: "string" },
        json: { type: "string" },
        strict: { type: "boolean" },
        transports: { type: "string", default: TRANSPORTS.join(",") },
        iterations: { type: "string" },
        repeats: { type: "string" },
        rounds: { type: "string" },
        class: { type: "string", default: "W" },
      });
      if (values.help) return help();
      if (!values.model) throw new Error("--model NAME|FILE is required: the model to compare with this machine (tsmpi model calibrate writes one)");
      const rows = await compare({
        model: values.model,
        transports: parseTransports(values.transports!),
        iterations: count(values.iterations, "iterations"),
        repeats: count(values.repeats, "repeats") ?? 3,
        rounds: count(values.rounds, "rounds") ?? 2,
        nasClass: values.class!,
        nasRanks: 4,
        allreduceRanks: 8,
        allreduceCount: 1024,
      });
      console.log(formatComparison(rows, values.model));
      if (values.json) writeComparison(rows, values.json);
      return compareExitCode(rows, Boolean(values.strict));
    }
  } catch (e) {
    // A UsageError carries the usage already.
    console.error(`tsmpi model ${sub}: ${e instanceof Error ? e.message : String(e)}${e instanceof UsageError ? "" : `\nusage: ${usage}`}`);
    return 2;
  }
  console.error(`usage: ${usage}`);
  return 2;
}
