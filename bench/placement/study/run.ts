/**
 * `tsmpi study`: programs × sizes × transports × strategies. Each program ×
 * size is one grid point, run in its own process (profile in the sim engine,
 * then every placement mapped and simulated, and run live at sizes up to
 * `--live-max`), at most `--jobs` at a time (p-queue), with a progress bar;
 * writes study.json and study.html.
 *
 *   tsmpi study prog.ts[:arg,arg] [more] --np 16,64,256 [--hosts H] --vms-per-host 4 --slots 8
 *     --strategies block,cyclic,random,comm-aware --transports bridged,vf,slurpoe
 *     [--mappers builtin,scotch] [--jobs 2] [--out results/study] [--model PRESET|t=PRESET,…]
 *     [--compute none|cpu|wall] [--live-max 16] [--repeats 3]
 */
import { fork } from "node:child_process";
import { basename } from "node:path";
import { parseCli, UsageError } from "../../lib/cli.ts";
import PQueue from "p-queue";
import type { MapperName } from "../../../src/placement/mapper/index.ts";
import { writeJson } from "../../lib/results.ts";
import { stamp } from "../../lib/stamp.ts";
import { progressBar } from "../../suite/progress.ts";
import { studyHtml } from "./report.ts";
import type { PointSpec, StudyPoint } from "./types.ts";
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { loadavgAt } from "../../lib/load.ts";

export interface StudyOptions {
  /** Each program at every size of `np`, or of its own `np` when it has one. */
  programs: { program: string; args: string[]; np?: number[] }[];
  np: number[];
  /** Hosts for every size (default: as many as full VMs of `slots` ranks make). */
  hosts?: number;
  vmsPerHost: number;
  slots: number;
  strategies: string[];
  transports: string[];
  mappers: MapperName[];
  jobs: number;
  out: string;
  model?: string;
  /** sim.compute for the simulations (default none). */
  compute?: string;
  /** Sizes up to this many ranks also run live (default 0: none). */
  liveMax?: number;
  /** Live runs per placement (default 3). */
  repeats?: number;
}

function runPoint(spec: PointSpec): Promise<StudyPoint> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL("./point.ts", import.meta.url), [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "ignore", "inherit", "ipc"] });
    child.once("message", (m: { ok: true; point: StudyPoint } | { ok: false; error: string }) => (m.ok ? resolve(m.point) : reject(new Error(m.error))));
    child.once("exit", (code) => reject(new Error(`the study point ${spec.label} on ${spec.np} ranks exited with code ${code}`)));
    child.send(spec);
  });
}

export async function runStudy(o: StudyOptions): Promise<{ points: StudyPoint[]; failures: string[]; files: string[] }> {
  const started = stamp();
  const specs: PointSpec[] = [];
  for (const { program, args, np: sizes } of o.programs)
    for (const np of sizes ?? o.np) {
      // Hosts as many as `slots`-rank VMs fill (or as given); slots then as many as the size needs.
      const hosts = o.hosts ?? Math.max(1, Math.floor(np / (o.vmsPerHost * o.slots)));
      specs.push({
        label: [basename(program), ...args].join(" "),
        program,
        args,
        np,
        machine: { hosts, vmsPerHost: o.vmsPerHost, slots: Math.ceil(np / (hosts * o.vmsPerHost)) },
        transports: o.transports,
        strategies: o.strategies,
        mappers: o.mappers,
        model: o.model,
        compute: o.compute ?? "none",
        live: np <= (o.liveMax ?? 0),
        repeats: o.repeats ?? 3,
      });
    }
  const progress = progressBar(specs.map(() => "study"));
  const queue = new PQueue({ concurrency: o.jobs });
  const points: StudyPoint[] = [];
  const failures: string[] = [];
  await Promise.all(
    specs.map((spec) =>
      queue.add(async () => {
        const label = `${spec.label} -n ${spec.np}`;
        progress.start(label, "study");
        try {
          const p = await runPoint(spec);
          points.push(p);
          progress.done(label, `profiled in ${p.profileSeconds.toFixed(1)} s, simulated in ${p.simulateSeconds.toFixed(1)} s`);
        } catch (e) {
          failures.push(`${label}: ${(e as Error).message}`);
          progress.done(label, "failed");
        }
      }),
    ),
  );
  progress.end();
  points.sort((a, b) => a.spec.label.localeCompare(b.spec.label) || a.spec.np - b.spec.np);
  const meta = { stamp: started, loadAfter: loadavg(), options: o };
  const json = `${o.out}/study.json`;
  const html = `${o.out}/study.html`;
  writeJson(json, { kind: "tsmpi-placement-study", ...meta, failures, points });
  writeFileSync(
    html,
    studyHtml(points, { date: started.date, tsmpi: started.tsmpi, cores: started.machine.cpus, loadBefore: loadavgAt(started), loadAfter: meta.loadAfter }),
  );
  return { points, failures, files: [json, html] };
}

const list = (s: string | undefined, fallback: string): string[] => (s ?? fallback).split(",").filter(Boolean);

const STUDY_FLAGS = ["np", "hosts", "vms-per-host", "slots", "strategies", "transports", "mappers", "jobs", "out", "model", "compute", "live-max", "repeats"] as const;

/** Strict: a misspelt flag is a usage error (exit 2), not a stack trace. */
function parseStudyArgs(argv: string[]) {
  return parseCli(argv, STUDY_USAGE, Object.fromEntries(STUDY_FLAGS.map((f) => [f, { type: "string" as const }])) as Record<(typeof STUDY_FLAGS)[number], { type: "string" }>, true);
}

const STUDY_USAGE =
  "tsmpi study prog.ts[:arg,arg] ... --np 16,64,256 [--hosts H] [--vms-per-host 4] [--slots 8] [--strategies …] [--transports …] [--mappers builtin,scotch] [--jobs 2] [--out DIR] [--model M] [--compute none|cpu|wall] [--live-max 16] [--repeats 3]";

export async function studyMain(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseStudyArgs>;
  try {
    parsed = parseStudyArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(e.message);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(`usage: ${STUDY_USAGE}`);
    return 0;
  }
  if (positionals.length === 0) {
    console.error(`usage: ${STUDY_USAGE}`);
    return 2;
  }
  const { points, failures, files } = await runStudy({
    programs: positionals.map((p) => {
      const [program, args] = p.split(":");
      return { program: program!, args: args ? args.split(",") : [] };
    }),
    np: list(values.np, "64").map(Number),
    hosts: values.hosts === undefined ? undefined : Number(values.hosts),
    vmsPerHost: Number(values["vms-per-host"] ?? 4),
    slots: Number(values.slots ?? 8),
    strategies: list(values.strategies, "block,cyclic,random,comm-aware"),
    transports: list(values.transports, "bridged,vf,slurpoe"),
    mappers: list(values.mappers, "builtin") as MapperName[],
    jobs: Number(values.jobs ?? 2),
    out: values.out ?? "results/study",
    model: values.model,
    compute: values.compute,
    liveMax: Number(values["live-max"] ?? 0),
    repeats: Number(values.repeats ?? 3),
  });
  for (const f of failures) console.error(`failed: ${f}`);
  console.log(`${points.length} point(s); wrote ${files.join(" and ")}`);
  return failures.length > 0 ? 1 : 0;
}
