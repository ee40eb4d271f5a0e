/**
 * `--manifest FILE`: everything needed to reproduce or read a run as JSON —
 * the map, the per-pair transport matrix, versions, every setting, and
 * (with --stats) the counters every rank and bridge reported.
 */
import { readFileSync } from "node:fs";
import { arch, cpus, hostname, platform, release } from "node:os";
import { type PlacementTable, ResolvedPlacement } from "./resolved.ts";
import type { PlacementMap } from "./map.ts";

export interface ManifestInput {
  np: number;
  engine: string;
  program: string;
  args: string[];
  map: PlacementMap | undefined;
  table: PlacementTable;
  settings: Record<string, string>;
  commandLine?: string[];
  result?: { ok: boolean; exitCode: number; failure?: string; seconds: number };
  stats?: unknown;
  /** The simulator's figures (sim engine): virtualSeconds, events, frames, wallSeconds, peakRssBytes. */
  sim?: { virtualSeconds: number; events: number; frames: number; wallSeconds: number; peakRssBytes: number; model?: string };
}

function packageVersion(url: URL): string | undefined {
  try {
    return (JSON.parse(readFileSync(url, "utf8")) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

export function buildManifest(i: ManifestInput): Record<string, unknown> {
  const root = new URL("../../", import.meta.url);
  return {
    kind: "tsmpi-run-manifest",
    created: new Date().toISOString(),
    versions: {
      tsmpi: packageVersion(new URL("package.json", root)),
      node: process.versions.node,
      v8: process.versions.v8,
      ws: packageVersion(new URL("node_modules/ws/package.json", root)),
      msgpackr: packageVersion(new URL("node_modules/msgpackr/package.json", root)),
    },
    machine: { hostname: hostname(), platform: platform(), release: release(), arch: arch(), cpus: cpus().length, cpu: cpus()[0]?.model },
    commandLine: i.commandLine,
    np: i.np,
    engine: i.engine,
    program: i.program,
    args: i.args,
    settings: i.settings,
    placement: {
      map: i.map,
      hosts: i.table.hosts,
      vms: i.table.vms,
      matrix: new ResolvedPlacement(i.table).matrix(),
    },
    result: i.result,
    stats: i.stats,
    sim: i.sim
      ? {
          model: i.sim.model,
          virtualSeconds: i.sim.virtualSeconds,
          events: i.sim.events,
          frames: i.sim.frames,
          wallSeconds: i.sim.wallSeconds,
          peakRssBytes: i.sim.peakRssBytes,
        }
      : undefined,
  };
}
