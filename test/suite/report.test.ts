import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildCharts } from "../../bench/suite/charts.ts";
import { checkDocument } from "../../bench/suite/document.ts";
import { escapeHtml, renderHtml } from "../../bench/suite/html.ts";
import { exitCodeOf, writeOutputs } from "../../bench/suite/suite.ts";
import { formatSuite, nasTable, p2pTable } from "../../bench/suite/table.ts";
import type { SuiteDocument } from "../../bench/suite/types.ts";

/** A real `tsmpi bench all --kernels ep,is --transports shm,vf,nosuch` run; the IS/vf run was edited to fail verification. */
function recorded(): SuiteDocument {
  return checkDocument(JSON.parse(readFileSync(new URL("fixtures/suite-recorded.json", import.meta.url), "utf8")), "fixture");
}

const doc = recorded();
const run = (id: string) => doc.runs.find((r) => r.id === id)!;

describe("HTML report from recorded JSON", async () => {
  const html = await renderHtml(doc);
  const figures = html.split('<figure id="').slice(1);

  it("has one figure with one inline <svg> per chart, and no external resources", () => {
    const charts = buildCharts(doc);
    expect(charts.map((c) => c.id)).toEqual(["p2p-latencyUs", "p2p-bandwidthMBps", "nas-time", "nas-mops", "coll-latency", "pair-matrix"]);
    expect(figures.map((f) => f.slice(0, f.indexOf('"')))).toEqual(charts.map((c) => c.id));
    for (const f of figures) expect(f.match(/<svg[\s>]/g)).toHaveLength(1);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|<img /);
  });

  it("draws the recorded data: series, kernels, sizes and the FAILED mark", () => {
    const fig = (id: string): string => figures.find((f) => f.startsWith(id))!;
    for (const label of ["shm", "vf 2x1"]) expect(fig("p2p-latencyUs")).toContain(`>${label}</text>`);
    for (const size of ["8", "1K", "64K", "1M"]) expect(fig("p2p-latencyUs")).toContain(`>${size}</text>`);
    for (const k of ["EP S np4", "IS S np4"]) expect(fig("nas-mops")).toContain(k);
    expect(fig("nas-time")).toContain(">FAILED</text>");
    // The nosuch-transport runs have no result: labelled, not silently missing.
    expect(fig("nas-mops").match(/>unavailable<\/text>/g)).toHaveLength(2);
    expect(fig("pair-matrix")).toContain("vf 2x2, 4 ranks");
    expect(fig("pair-matrix")).toContain(">self</text>");
  });

  it("lists the figures in its tables, with verdicts and reasons", () => {
    const ep = run("nas/ep/S/shm/1x1/np4").nas!;
    expect(html).toContain(`<td class="n">${ep.mops.toFixed(2)}</td>`);
    expect(html).toContain(`<td class="n">${ep.time.toFixed(3)}</td>`);
    const lat8 = run("p2p/vf/2x1/np2").p2p!.latencyUs.find((x) => x.bytes === 8)!;
    expect(html).toContain(`<td class="n">${lat8.median.toFixed(2)} [${lat8.min.toFixed(2)}–${lat8.max.toFixed(2)}]</td>`);
    expect(html).toContain('<span class="bad">FAILED</span>');
    const allreduce = run("coll/vf/2x2/np4").coll!.rows.find((x) => x.collective === "allreduce" && x.bytes === 4096)!;
    expect(html).toContain(`<td class="n">${allreduce.avgUs.toFixed(2)}</td>`);
    expect(html).toContain(escapeHtml(run("p2p/nosuch/2x1/np2").reason!));
    expect(html).toContain(doc.machine.cpuModel);
    expect(html).toContain(`Node.js ${doc.versions.node}`);
  });

  it("embeds the whole document as JSON that reads back unchanged", () => {
    const m = /<script type="application\/json" id="suite-data">([\s\S]*?)<\/script>/.exec(html)!;
    expect(JSON.parse(m[1]!)).toEqual(doc);
  });

  it("writes dated and latest files with the same content", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsmpi-report-"));
    const files = await writeOutputs(doc, dir);
    expect(files.html).toMatch(/report-2026-11-24T20-50-01Z\.html$/);
    expect(readFileSync(files.latestHtml, "utf8")).toBe(readFileSync(files.html, "utf8"));
    expect(JSON.parse(readFileSync(files.latestJson, "utf8"))).toEqual(doc);
  });
});

describe("terminal table from recorded JSON", () => {
  it("aligns the NAS table and shows every verdict", () => {
    const lines = nasTable(doc)!.split("\n");
    expect(lines[0]).toMatch(/^kernel\s+class\s+np\s+transport\s+placement\s+runs\s+time s \[min–max\]\s+time\/shm\s+Mop\/s \[min–max\]\s+Mop\/s\/proc\s+verification\s+wall s$/);
    expect(lines[1]).toMatch(/^[- ]+$/);
    expect(lines).toHaveLength(2 + doc.runs.filter((r) => r.suite === "nas").length);
    const ep = run("nas/ep/S/shm/1x1/np4").nas!;
    const epRow = lines.find((l) => l.startsWith("EP") && l.includes(" shm "))!;
    expect(epRow).toContain(ep.mops.toFixed(2));
    expect(epRow).toContain("SUCCESSFUL");
    expect(lines.find((l) => l.startsWith("IS") && l.includes(" vf "))).toContain("FAILED");
    expect(lines.filter((l) => l.includes("unavailable"))).toHaveLength(2);
    // Numbers right-aligned: the time column ends at the same place on every row.
    const end = lines[0]!.indexOf("time s [min–max]") + "time s [min–max]".length;
    for (const l of lines.slice(2)) expect(l[end - 1]).toMatch(/[0-9-]/);
  });

  it("puts point-to-point medians with their spread side by side per transport, and the ratio to shm", () => {
    const lines = p2pTable(doc, "latencyUs")!.split("\n");
    expect(lines[0]).toMatch(/^bytes\s+shm \[min–max\]\s+vf 2x1 \[min–max\]\s+\/shm$/);
    const shm = run("p2p/shm/1x1/np2").p2p!.latencyUs;
    const vf = run("p2p/vf/2x1/np2").p2p!.latencyUs;
    const spread = (x: { median: number; min: number; max: number }) => [x.median.toFixed(2), `[${x.min.toFixed(2)}–${x.max.toFixed(2)}]`];
    expect(lines.slice(2).map((l) => l.trim().split(/\s+/))).toEqual(
      shm.map((x, i) => {
        const r = vf[i]!.median / x.median;
        return [
          x.bytes >= 1 << 20 ? `${x.bytes >> 20}M` : x.bytes >= 1024 ? `${x.bytes >> 10}K` : String(x.bytes),
          ...spread(x),
          ...spread(vf[i]!),
          `${r.toFixed(r < 10 ? 2 : 1)}×`,
        ];
      }),
    );
  });

  it("summarises the runs and the problems, and fails the exit code only for failures", () => {
    const text = formatSuite(doc);
    expect(text).toContain("12 runs: 7 ok, 1 failed verification, 0 errors, 4 unavailable");
    expect(text).toContain("nas/is/S/vf/2x2/np4: FAILED");
    expect(text).toContain('p2p/nosuch/2x1/np2: unavailable — ERR_ARG: unknown transport "nosuch"');
    expect(exitCodeOf(doc)).toBe(1);
    const fixed = recorded();
    for (const r of fixed.runs) if (r.status === "failed") r.status = "ok";
    expect(exitCodeOf(fixed)).toBe(0);
  });
});
