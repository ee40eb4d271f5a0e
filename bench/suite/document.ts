/** The suite's JSON document: machine, versions, every setting, every run. */
import { readFileSync } from "node:fs";
import { hostname, loadavg } from "node:os";
import { type MachineStamp, machineStamp, tsmpiVersion } from "../lib/stamp.ts";
import type { RunRecord, SuiteDocument, SuiteSettings } from "./types.ts";

const root = new URL("../../", import.meta.url);

/** Installed versions of tsmpi's runtime and development dependencies (what actually ran, not the ranges asked for). */
export function dependencyVersions(): Record<string, string> {
  const pkg = JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as Record<string, Record<string, string> | undefined>;
  const out: Record<string, string> = {};
  for (const name of Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).sort()) {
    try {
      out[name] = (JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, root), "utf8")) as { version: string }).version;
    } catch {
      out[name] = "not installed";
    }
  }
  return out;
}

/** What was sampled before the first run: the machine (its load1 then) and the load averages. */
export interface Before {
  created: Date;
  machine: MachineStamp;
  load: number[];
}

export function sampleBefore(): Before {
  return { created: new Date(), machine: machineStamp(), load: loadavg() };
}

/** The document; the machine is stamped as it was before the runs, and the load sampled again now. */
export function buildDocument(settings: SuiteSettings, runs: RunRecord[], seconds: number, commandLine: string[], before: Before = sampleBefore()): SuiteDocument {
  return {
    kind: "tsmpi-bench-suite",
    version: 1,
    created: before.created.toISOString(),
    machine: { ...before.machine, hostname: hostname() },
    versions: { node: process.versions.node, v8: process.versions.v8, tsmpi: tsmpiVersion(), dependencies: dependencyVersions() },
    commandLine,
    settings,
    runs,
    load: { before: before.load, after: loadavg() },
    seconds,
  };
}

/** Throws unless `value` looks like a SuiteDocument (for reports drawn from saved JSON). */
export function checkDocument(value: unknown, from: string): SuiteDocument {
  const d = value as Partial<SuiteDocument> | null;
  if (d?.kind !== "tsmpi-bench-suite" || !Array.isArray(d.runs) || typeof d.settings !== "object")
    throw new Error(`${from}: not a tsmpi bench suite document (expected kind "tsmpi-bench-suite" and runs)`);
  return d as SuiteDocument;
}
