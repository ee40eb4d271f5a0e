/**
 * The run matrix: settings from flags or a sweep file (JSON), expanded into
 * one RunSpec per suite × transport × placement (× kernel × class × ranks
 * for NAS). Runs that would repeat another (shm under several placements is
 * always one VM) appear once.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { MpiError } from "../../src/errors.ts";
import { effectivePlacement, p2pPlacement, parsePlacementName } from "./placements.ts";
import { KERNELS, type RunSpec, SUITES, type SuiteName, type SuiteSettings } from "./types.ts";

const benchDir = fileURLToPath(new URL("../", import.meta.url));

export const programs = {
  p2p: `${benchDir}p2p/osu.ts`,
  coll: `${benchDir}coll/osu-coll.ts`,
  nas: (kernel: string): string => `${benchDir}nas/${kernel}.ts`,
};

/** Defaults of `tsmpi bench` (the quick comparison; `npm start` uses the same). */
export function defaultSettings(): SuiteSettings {
  return {
    suites: ["nas", "p2p"],
    transports: ["shm", "bridged", "vf", "slurpoe"],
    placements: ["2x2"],
    np: [4],
    kernels: [...KERNELS],
    classes: ["S"],
    // A short size list and few repeats keep the whole default study under
    // five minutes on two cores (estimate from runs on the development machine).
    p2p: { sizes: "8,1K,64K,1M", repeats: 3, scale: 0.2, only: ["latency", "bw"] },
    coll: { sizes: "8,4K,256K", repeats: 3, scale: 0.2, only: ["bcast", "allreduce", "alltoall"] },
    settings: {},
    engine: "live",
    // A class S kernel or the short p2p sweep takes seconds; a minute leaves room for a loaded
    // machine while a hung run cannot eat the default study's five minutes (estimate).
    timeoutSeconds: 60,
    out: "results",
  };
}

type SweepFile = Partial<Omit<SuiteSettings, "p2p" | "coll" | "np">> & {
  np?: number | number[];
  p2p?: Partial<SuiteSettings["p2p"]>;
  coll?: Partial<SuiteSettings["coll"]>;
};

function list(x: unknown, field: string, from: string): string[] {
  if (typeof x === "string")
    return x
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  if (Array.isArray(x) && x.every((s) => typeof s === "string" || typeof s === "number")) return x.map(String);
  throw new MpiError("ERR_ARG", `${from}: "${field}" must be a list of strings (or a comma-separated string)`);
}

/** Lays a sweep (parsed JSON) over `base`; throws ERR_ARG naming the field to fix. */
export function applySweep(base: SuiteSettings, sweep: unknown, from = "sweep"): SuiteSettings {
  if (typeof sweep !== "object" || sweep === null || Array.isArray(sweep)) throw new MpiError("ERR_ARG", `${from}: a sweep file holds one JSON object`);
  const s = sweep as SweepFile;
  const known = new Set(["suites", "transports", "placements", "np", "kernels", "classes", "p2p", "coll", "settings", "engine", "timeoutSeconds", "out"]);
  for (const k of Object.keys(s)) if (!known.has(k)) throw new MpiError("ERR_ARG", `${from}: unknown field "${k}"; known: ${[...known].join(", ")}`);
  const out: SuiteSettings = { ...base, p2p: { ...base.p2p, ...(s.p2p ?? {}) }, coll: { ...base.coll, ...(s.coll ?? {}) } };
  if (s.suites !== undefined) out.suites = list(s.suites, "suites", from) as SuiteName[];
  if (s.transports !== undefined) out.transports = list(s.transports, "transports", from);
  if (s.placements !== undefined) out.placements = list(s.placements, "placements", from);
  if (s.kernels !== undefined) out.kernels = list(s.kernels, "kernels", from).map((k) => k.toLowerCase());
  if (s.classes !== undefined) out.classes = list(s.classes, "classes", from).map((c) => c.toUpperCase());
  if (s.np !== undefined) out.np = (Array.isArray(s.np) ? s.np : [s.np]).map(Number);
  if (s.settings !== undefined) out.settings = { ...base.settings, ...Object.fromEntries(Object.entries(s.settings).map(([k, v]) => [k, String(v)])) };
  if (s.engine !== undefined) out.engine = s.engine;
  if (s.out !== undefined) out.out = s.out;
  if (s.timeoutSeconds !== undefined) out.timeoutSeconds = Number(s.timeoutSeconds);
  if (s.p2p?.only !== undefined) out.p2p.only = list(s.p2p.only, "p2p.only", from);
  if (s.coll?.only !== undefined) out.coll.only = list(s.coll.only, "coll.only", from);
  checkSettings(out, from);
  return out;
}

export function readSweepFile(path: string, base: SuiteSettings): SuiteSettings {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new MpiError("ERR_ARG", `--sweep ${path}: cannot read it (${(e as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new MpiError("ERR_ARG", `--sweep ${path}: not valid JSON (${(e as Error).message})`);
  }
  return applySweep(base, json, `--sweep ${path}`);
}

/** Throws ERR_ARG on a setting no run could use. */
export function checkSettings(s: SuiteSettings, from = "bench"): void {
  for (const x of s.suites)
    if (!(SUITES as readonly string[]).includes(x)) throw new MpiError("ERR_ARG", `${from}: unknown suite "${x}"; use ${SUITES.join(", ")}`);
  for (const k of s.kernels)
    if (!(KERNELS as readonly string[]).includes(k)) throw new MpiError("ERR_ARG", `${from}: unknown NAS kernel "${k}"; use ${KERNELS.join(", ")}`);
  for (const c of s.classes) if (!/^[SWAB]$/.test(c)) throw new MpiError("ERR_ARG", `${from}: unknown NAS class "${c}"; use S, W, A or B`);
  for (const n of s.np) if (!Number.isInteger(n) || n < 1) throw new MpiError("ERR_ARG", `${from}: np must be positive integers, got ${String(n)}`);
  for (const p of s.placements) parsePlacementName(p);
  if (!(s.timeoutSeconds > 0)) throw new MpiError("ERR_ARG", `${from}: timeoutSeconds must be a positive number, got ${String(s.timeoutSeconds)}`);
  if (s.transports.length === 0) throw new MpiError("ERR_ARG", `${from}: no transports given`);
  if (s.engine !== "live" && s.engine !== "sim") throw new MpiError("ERR_ARG", `${from}: engine must be live or sim, got ${String(s.engine)}`);
}

function p2pArgs(s: SuiteSettings): string[] {
  return ["--sizes", s.p2p.sizes, "--repeats", String(s.p2p.repeats), "--scale", String(s.p2p.scale), "--only", s.p2p.only.join(","), "--quiet"];
}

function collArgs(s: SuiteSettings): string[] {
  const a = ["--sizes", s.coll.sizes, "--repeats", String(s.coll.repeats), "--scale", String(s.coll.scale)];
  if (s.coll.only.length > 0) a.push("--only", s.coll.only.join(","));
  return a;
}

/** Larger NAS classes run longer: the timeout is multiplied by this (estimate from NPB's operation counts, S→W ≈ 4×, W→A ≈ 5–10×). */
export const CLASS_TIMEOUT_FACTOR: Record<string, number> = { S: 1, W: 4, A: 30, B: 120 };

/** Seconds a run may take before it is stopped. */
export function runTimeout(spec: Pick<RunSpec, "suite" | "class">, s: SuiteSettings): number {
  return s.timeoutSeconds * (spec.suite === "nas" ? (CLASS_TIMEOUT_FACTOR[spec.class ?? "S"] ?? 1) : 1);
}

/** Every run the settings ask for, in the order they run: NAS, then collectives, then point-to-point. */
export function expandMatrix(s: SuiteSettings): RunSpec[] {
  const runs: RunSpec[] = [];
  const seen = new Set<string>();
  const add = (r: Omit<RunSpec, "id">): void => {
    const id = [r.suite, r.kernel, r.class, r.transport, r.placement, `np${r.np}`].filter(Boolean).join("/");
    if (seen.has(id)) return;
    seen.add(id);
    runs.push({ id, ...r });
  };
  const order: SuiteName[] = ["nas", "coll", "p2p"];
  for (const suite of order) {
    if (!s.suites.includes(suite)) continue;
    for (const transport of s.transports)
      for (const name of s.placements) {
        if (suite === "p2p") {
          add({ suite, transport, placement: p2pPlacement(transport, name), np: 2, program: programs.p2p, args: p2pArgs(s) });
          continue;
        }
        const placement = effectivePlacement(transport, name);
        for (const np of s.np) {
          if (suite === "coll") add({ suite, transport, placement, np, program: programs.coll, args: collArgs(s) });
          else
            for (const kernel of s.kernels)
              for (const cls of s.classes) add({ suite, transport, placement, np, kernel, class: cls, program: programs.nas(kernel), args: ["--class", cls] });
        }
      }
  }
  return runs;
}
