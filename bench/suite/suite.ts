/**
 * Running a whole matrix: every run in turn (one job at a time — the
 * numbers would mean nothing with two sharing the cores), a progress bar,
 * then the JSON document, the terminal table and the HTML report.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { buildDocument, sampleBefore } from "./document.ts";
import { renderHtml } from "./html.ts";
import { type Progress, progressBar } from "./progress.ts";
import { mergeLaunches, runLoad } from "./rounds.ts";
import { runOne } from "./runner.ts";
import { expandMatrix } from "./sweep.ts";
import { formatSuite } from "./table.ts";
import type { RunRecord, RunSpec, SuiteDocument, SuiteSettings } from "./types.ts";

export interface SuiteFiles {
  json: string;
  latestJson: string;
  html: string;
  latestHtml: string;
}

/** "2026-11-24T20-50-01Z": an ISO time that is also a portable file name. */
export function fileStamp(d: Date): string {
  return d
    .toISOString()
    .replace(/\.\d+Z$/, "Z")
    .replace(/:/g, "-");
}

/** Writes the document as JSON and the report as HTML, each under a dated name and as *-latest. */
export async function writeOutputs(doc: SuiteDocument, dir: string): Promise<SuiteFiles> {
  mkdirSync(dir, { recursive: true });
  const stamp = fileStamp(new Date(doc.created));
  const files: SuiteFiles = {
    json: resolve(join(dir, `suite-${stamp}.json`)),
    latestJson: resolve(join(dir, "suite-latest.json")),
    html: resolve(join(dir, `report-${stamp}.html`)),
    latestHtml: resolve(join(dir, "report-latest.html")),
  };
  const json = `${JSON.stringify(doc, null, 2)}\n`;
  const html = await renderHtml(doc);
  writeFileSync(files.json, json);
  writeFileSync(files.latestJson, json);
  writeFileSync(files.html, html);
  writeFileSync(files.latestHtml, html);
  return files;
}

function outcome(r: RunRecord): string {
  if (r.status === "ok") return r.nas ? `SUCCESSFUL ${r.nas.time.toFixed(2)} s` : `ok ${r.seconds.toFixed(1)} s`;
  if (r.status === "failed") return "FAILED verification";
  return `${r.status}${r.reason ? `: ${r.reason}` : ""}`;
}

/** 0 when every run that ran succeeded (unavailable transports are reported, not failures); 1 otherwise. */
export function exitCodeOf(doc: SuiteDocument): number {
  return doc.runs.some((r) => r.status === "failed" || r.status === "error") ? 1 : 0;
}

/**
 * Every run of the matrix; NAS points `settings.runs` times, in rounds (the
 * whole list, then again), so a burst of load on a shared machine hits every
 * point alike instead of all launches of one.
 */
export async function runSuite(settings: SuiteSettings, commandLine: string[], progress?: Progress): Promise<{ doc: SuiteDocument; files: SuiteFiles }> {
  const before = sampleBefore();
  const started = performance.now();
  const specs = expandMatrix(settings);
  const schedule: RunSpec[] = [];
  for (let round = 0; round < settings.runs; round++) schedule.push(...(round === 0 ? specs : specs.filter((s) => s.suite === "nas")));
  const bar = progress ?? progressBar(schedule.map((s) => s.suite));
  const launches = new Map<string, RunRecord[]>();
  for (const spec of schedule) {
    bar.start(spec.id, spec.suite);
    const r = await runOne(spec, settings);
    const list = launches.get(spec.id) ?? launches.set(spec.id, []).get(spec.id)!;
    list.push(r);
    bar.done(spec.id, outcome(r));
  }
  bar.end();
  const cores = availableParallelism();
  const runs = specs.map((spec) => {
    const r = mergeLaunches(launches.get(spec.id)!);
    return r.placement.matrix ? { ...r, load: runLoad(r, cores) } : r;
  });
  const doc = buildDocument(settings, runs, (performance.now() - started) / 1000, commandLine, before);
  const files = await writeOutputs(doc, settings.out);
  return { doc, files };
}

/** The table, then where the files went. */
export function summary(doc: SuiteDocument, files: SuiteFiles): string {
  return `${formatSuite(doc)}\n\nJSON:   ${files.json}\nreport: ${files.html}\n        ${files.latestHtml}`;
}
