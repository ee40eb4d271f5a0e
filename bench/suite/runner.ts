/**
 * Running one RunSpec through launch() and turning whatever happens into a
 * RunRecord. Nothing here throws for a run that goes wrong: a transport
 * that is missing or cannot start is "unavailable", a kernel that does not
 * verify is "failed", anything else that breaks is "error" — so one bad
 * cell never stops the rest of the matrix.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadTransportModule } from "../../src/transport/registry.ts";
import { launch } from "../../src/launcher/launch.ts";
import type { PlacementMap } from "../../src/placement/map.ts";
import { ResolvedPlacement } from "../../src/placement/resolved.ts";
import type { CollResult } from "../coll/plan.ts";
import { checkP2pResult } from "../lib/results.ts";
import type { NasResult } from "../nas/common/report.ts";
import { placementMap } from "./placements.ts";
import { runTimeout } from "./sweep.ts";
import { lastResult } from "./result-line.ts";
import type { PlacementRecord, RunRecord, RunSpec, SuiteSettings } from "./types.ts";

/** Lines of output kept in a record when a run did not end well. */
const LOG_TAIL = 20;

function placementRecord(spec: RunSpec, map: PlacementMap | undefined): PlacementRecord {
  if (!map) {
    const names = Array.from({ length: spec.np }, () => "vm0");
    return { name: spec.placement, hosts: names.map(() => "host0"), vms: names, matrix: names.map((_, a) => names.map((__, b) => (a === b ? "self" : "shm"))) };
  }
  const resolved = ResolvedPlacement.fromMap(map, spec.np);
  const table = resolved.table;
  return { name: spec.placement, map, hosts: table.hosts, vms: table.vms, matrix: resolved.matrix() };
}

function firstLine(e: unknown): string {
  return ((e as Error)?.message ?? String(e)).split("\n")[0]!;
}

export async function runOne(spec: RunSpec, s: SuiteSettings): Promise<RunRecord> {
  const base = {
    id: spec.id,
    suite: spec.suite,
    transport: spec.transport,
    np: spec.np,
    kernel: spec.kernel,
    class: spec.class,
    program: spec.program,
    args: spec.args,
  };
  const started = performance.now();
  const elapsed = (): number => (performance.now() - started) / 1000;
  let map: PlacementMap | undefined;
  let placement: PlacementRecord;
  try {
    if (spec.transport !== "shm") await loadTransportModule(spec.transport);
    map = placementMap(spec.transport, spec.placement, spec.np);
    placement = placementRecord(spec, map);
  } catch (e) {
    return { ...base, placement: { name: spec.placement }, status: "unavailable", reason: firstLine(e), seconds: elapsed() };
  }

  const tmp = spec.suite === "coll" ? mkdtempSync(join(tmpdir(), "tsmpi-coll-")) : undefined;
  const args = tmp ? [...spec.args, "--out", join(tmp, "coll.json")] : spec.args;
  const lines: string[] = [];
  const keep = (line: string): void => {
    lines.push(line);
    if (lines.length > 4000) lines.splice(0, 2000);
  };
  const stop = new AbortController();
  const timeout = runTimeout(spec, s);
  const timer = setTimeout(() => stop.abort(), timeout * 1000);
  try {
    let result: Awaited<ReturnType<typeof launch>>;
    try {
      result = await launch({
        np: spec.np,
        program: spec.program,
        args,
        engine: s.engine,
        placement: map,
        settings: s.settings,
        tagOutput: true,
        stdout: keep,
        stderr: keep,
        signal: stop.signal,
      });
    } catch (e) {
      return { ...base, placement, status: "unavailable", reason: firstLine(e), seconds: elapsed() };
    }
    const record: RunRecord = { ...base, placement, status: "ok", seconds: elapsed() };
    // The record keeps the failure's first line as the reason (stack traces go to the log).
    const tail = (): string[] | undefined =>
      lines.length > 0 || (result.failure?.includes("\n") ?? false) ? [...lines.slice(-LOG_TAIL), ...(result.failure?.split("\n").slice(1) ?? [])] : undefined;
    const why = stop.signal.aborted ? `timed out after ${timeout} s` : result.failure?.split("\n")[0];
    if (!result.ok && result.failure?.startsWith("the job could not start")) return { ...record, status: "unavailable", reason: why, log: tail() };

    if (spec.suite === "nas") {
      const nas = lastResult(lines) ?? (result.ranks[0]?.value as NasResult | undefined);
      if (nas) record.nas = nas;
      if (nas && !nas.verified) return { ...record, status: "failed", reason: `Verification = FAILED`, log: tail() };
      if (!result.ok) return { ...record, status: "error", reason: why, log: tail() };
      if (!nas) return { ...record, status: "error", reason: "the kernel printed no RESULT line", log: tail() };
      return record;
    }
    if (!result.ok) return { ...record, status: "error", reason: why, log: tail() };
    try {
      if (spec.suite === "p2p") record.p2p = checkP2pResult(result.ranks[0]?.value, spec.id);
      else record.coll = JSON.parse(readFileSync(join(tmp!, "coll.json"), "utf8")) as CollResult;
    } catch (e) {
      return { ...record, status: "error", reason: `no result: ${firstLine(e)}`, log: tail() };
    }
    return record;
  } finally {
    clearTimeout(timer);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}
