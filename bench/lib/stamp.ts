/**
 * Every benchmark result is stamped with where and with what it was measured
 * (DESIGN.md, "Formats": results are machine- and version-stamped JSON), so
 * numbers from different machines or versions are never compared blindly.
 */
import { readFileSync } from "node:fs";
import { arch, cpus, loadavg, platform, release, totalmem } from "node:os";

export interface MachineStamp {
  os: string;
  arch: string;
  cpus: number;
  cpuModel: string;
  memoryBytes: number;
  /** 1-minute load average when this stamp was taken (take it before the run): a busy machine explains noisy numbers. */
  load1: number;
  /** 1-, 5- and 15-minute load averages at the same moment. */
  load?: number[];
}

export interface Stamp {
  machine: MachineStamp;
  node: string;
  tsmpi: string;
  date: string;
}

export function machineStamp(): MachineStamp {
  const list = cpus();
  return {
    os: `${platform()} ${release()}`,
    arch: arch(),
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? "unknown",
    memoryBytes: totalmem(),
    load1: loadavg()[0]!,
    load: loadavg(),
  };
}

/** tsmpi's version from its package.json (bench/lib sits two levels below the package root). */
export function tsmpiVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: string };
  return pkg.version ?? "unknown";
}

export function stamp(): Stamp {
  return { machine: machineStamp(), node: process.version, tsmpi: tsmpiVersion(), date: new Date().toISOString() };
}
