/**
 * `tsmpi bench p2p|coll|nas|all [options]`: the benchmark suite from the
 * command line. Options override the defaults (sweep.ts) and a --sweep file
 * overrides both where it speaks; --from-json redraws the table and report
 * from a saved document without running anything.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { checkDocument } from "./document.ts";
import { exitCodeOf, runSuite, summary, writeOutputs } from "./suite.ts";
import { applySweep, checkSettings, defaultSettings, readSweepFile } from "./sweep.ts";
import { SUITES, type SuiteName, type SuiteSettings } from "./types.ts";

export const benchUsage = `usage: tsmpi bench p2p|coll|nas|all [options]

options:
  --transports LIST     e.g. shm,bridged,vf,slurpoe (default: all four)
  --placements LIST     HOSTSxVMS[:block|cyclic|random:seed], e.g. 2x2,2x2:cyclic (default 2x2);
                        shm runs always put every rank in one VM
  --np LIST             ranks of NAS and collective runs (default 4; point-to-point uses 2)
  --kernels LIST        NAS kernels: ep,is,cg,mg,ft (default all)
  --classes LIST        NAS classes: S, W, A, B (default S)
  --sizes LIST          point-to-point sizes, e.g. 8,1K,64K,1M or 0:4M
  --repeats N           point-to-point and collective repeats per size (inside one launch)
  --runs N              launches of every NAS point, in interleaved rounds (default 3)
  --scale F             multiplies the benchmark programs' iteration counts
  --set key=value       a transport setting for every run (repeatable)
  --engine E            live (default) or sim
  --timeout S           stop a run after S seconds (default 60; NAS class W ×4, A ×30, B ×120)
  --sweep FILE          a JSON sweep file (bench/suite/README.md) laid over the flags
  --out DIR             where JSON and HTML go (default results)
  --from-json FILE      redraw the table and report from a saved suite JSON; run nothing
  -h, --help            this text`;

function csv(v: unknown): string[] | undefined {
  return typeof v === "string"
    ? v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;
}

/** Settings from the command line (after "bench"); throws MpiError ERR_ARG on a bad one. */
export function settingsFromArgs(argv: string[]): { settings: SuiteSettings; fromJson?: string; help: boolean } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      transports: { type: "string" },
      placements: { type: "string" },
      np: { type: "string" },
      kernels: { type: "string" },
      classes: { type: "string" },
      sizes: { type: "string" },
      repeats: { type: "string" },
      runs: { type: "string" },
      scale: { type: "string" },
      set: { type: "string", multiple: true },
      engine: { type: "string" },
      timeout: { type: "string" },
      sweep: { type: "string" },
      out: { type: "string" },
      "from-json": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const which = positionals[0] ?? "all";
  if (positionals.length > 1 || (which !== "all" && !(SUITES as readonly string[]).includes(which)))
    throw new Error(`bench: say which benchmarks, one of p2p, coll, nas, all (got "${positionals.join(" ")}")`);
  const s = defaultSettings();
  s.suites = which === "all" ? [...SUITES] : [which as SuiteName];
  const over: Record<string, unknown> = {};
  if (values.transports) over.transports = csv(values.transports);
  if (values.placements) over.placements = csv(values.placements);
  if (values.np) over.np = csv(values.np)!.map(Number);
  if (values.kernels) over.kernels = csv(values.kernels);
  if (values.classes) over.classes = csv(values.classes);
  if (values.engine) over.engine = values.engine;
  if (values.out) over.out = values.out;
  if (values.timeout) over.timeoutSeconds = Number(values.timeout);
  if (values.runs) over.runs = Number(values.runs);
  if (values.set) over.settings = Object.fromEntries(values.set.map((kv) => [kv.slice(0, Math.max(0, kv.indexOf("="))) || kv, kv.slice(kv.indexOf("=") + 1)]));
  const p2p: Record<string, unknown> = {};
  const coll: Record<string, unknown> = {};
  if (values.sizes) p2p.sizes = values.sizes;
  if (values.repeats) p2p.repeats = coll.repeats = Number(values.repeats);
  if (values.scale) p2p.scale = coll.scale = Number(values.scale);
  over.p2p = p2p;
  over.coll = coll;
  let settings = applySweep(s, over, "bench");
  if (values.sweep) settings = readSweepFile(values.sweep, settings);
  checkSettings(settings);
  return { settings, fromJson: values["from-json"], help: Boolean(values.help) };
}

export async function benchMain(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof settingsFromArgs>;
  try {
    parsed = settingsFromArgs(argv);
  } catch (e) {
    console.error(`tsmpi: ${(e as Error).message}\n${benchUsage}`);
    return 2;
  }
  if (parsed.help) {
    console.log(benchUsage);
    return 0;
  }
  if (parsed.fromJson) {
    const doc = checkDocument(JSON.parse(readFileSync(parsed.fromJson, "utf8")), parsed.fromJson);
    const files = await writeOutputs(doc, parsed.settings.out);
    console.log(summary(doc, files));
    return exitCodeOf(doc);
  }
  const { doc, files } = await runSuite(parsed.settings, ["tsmpi", "bench", ...argv]);
  console.log(summary(doc, files));
  return exitCodeOf(doc);
}
