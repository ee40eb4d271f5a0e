/**
 * Pinning threads to cores (`tsmpi run --bind-to core`, shown by
 * `--report-bindings`): process-to-CPU assignment is one of the effects the
 * research studies, and on a machine where ranks and NIC threads compete for
 * cores, leaving the choice to the scheduler moves them between cores. A
 * rank is a thread here, so each rank thread (and each NIC thread) pins
 * itself through a small native helper (src/engine/live/native/affinity.c,
 * built by `npm install`). On the ground floor so transports' own threads
 * can use it too.
 */
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { MODULE_EXTENSION } from "../constants.ts";
import { MpiError } from "../errors.ts";
import { booleanSetting, choiceSetting, type Setting, type Settings } from "../settings/registry.ts";

interface Affinity {
  bind(cpu: number): boolean;
  allowed(): number[];
  current(): number;
}

export const bindTo = choiceSetting({
  key: "job.bindTo",
  owner: "job",
  choices: ["none", "core"] as const,
  default: "none",
  flag: "bind-to",
  doc: "pin each rank thread to one core (rank r to core r mod cores; NIC threads to the cores after the ranks), or leave placement to the OS",
});

export const reportBindings = booleanSetting({
  key: "job.reportBindings",
  owner: "job",
  default: false,
  doc: "print where every rank (and NIC) thread is bound at start-up (--report-bindings)",
});

export const bindingSettings: readonly Setting[] = [bindTo, reportBindings];

let loaded: Affinity | undefined | null = null;

function helper(): Affinity | undefined {
  if (loaded !== null) return loaded;
  try {
    const require = createRequire(import.meta.url);
    // The addon is built into the package's build/: two folders up from the source, three from dist/.
    loaded = require(`${MODULE_EXTENSION === ".ts" ? "../.." : "../../.."}/build/Release/affinity.node`) as Affinity;
  } catch {
    loaded = undefined;
  }
  return loaded;
}

/** "[B/./.]": Open MPI's picture of a binding, one slot per core. */
export function bindingPicture(cpus: readonly number[], cores: number): string {
  return `[${Array.from({ length: cores }, (_, c) => (cpus.includes(c) ? "B" : ".")).join("/")}]`;
}

/**
 * Apply the job's binding to the calling thread, `slot` being its place among
 * the machine's busy threads (a rank's number; for NIC threads, after the
 * ranks). Returns the line --report-bindings prints for it.
 */
export function bindThread(settings: Settings, slot: number, who: string): string | undefined {
  const cores = availableParallelism();
  const mode = bindTo.read(settings);
  const report = reportBindings.read(settings);
  if (mode === "core") {
    const a = helper();
    if (!a) throw new MpiError("ERR_ARG", `${who}: --bind-to core needs the native helper, which was not built (no C compiler at npm install?); run without --bind-to`);
    const cpu = slot % cores;
    if (!a.bind(cpu)) throw new MpiError("ERR_ARG", `${who}: could not bind to core ${cpu} (sched_setaffinity refused); run without --bind-to`);
  }
  if (!report) return undefined;
  const a = helper();
  const cpus = a ? a.allowed() : Array.from({ length: cores }, (_, c) => c);
  const where = mode === "core" ? `bound to core ${cpus.join(",")}` : "not bound (the OS chooses among all cores)";
  return `tsmpi: ${who} ${where}: ${bindingPicture(cpus, cores)}`;
}
