/**
 * The self-contained HTML report: tables, charts as inline SVG (rendered by
 * charts.ts), machine and versions, every setting, and the whole document
 * as embedded JSON — one file that opens anywhere without a network.
 */
import { formatBytes } from "../lib/sizes.ts";
import { buildCharts, renderSvg } from "./charts.ts";
import { countByStatus, seriesLabel } from "./table.ts";
import { KERNELS, type RunRecord, type SuiteDocument } from "./types.ts";

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function num(x: number | undefined, digits: number): string {
  return x === undefined || !Number.isFinite(x) ? "–" : x.toFixed(digits);
}

/** `numeric(i)`: column i holds figures (right-aligned). Cells are HTML already escaped by the caller. */
function htmlTable(head: string[], rows: string[][], numeric: (i: number) => boolean): string {
  const cls = (i: number): string => (numeric(i) ? ' class="n"' : "");
  const th = head.map((h, i) => `<th${cls(i)}>${escapeHtml(h)}</th>`).join("");
  const tr = rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${c}</td>`).join("")}</tr>`).join("\n");
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${tr}\n</tbody></table>`;
}

function verdict(r: RunRecord): string {
  if (r.status === "ok") return r.nas ? '<span class="ok">SUCCESSFUL</span>' : '<span class="ok">ok</span>';
  if (r.status === "failed") return '<span class="bad">FAILED</span>';
  // Only the reason's first line: older documents kept whole stack traces there.
  const why = r.reason?.split("\n")[0];
  return `<span class="${r.status === "unavailable" ? "na" : "bad"}">${escapeHtml(r.status)}</span>${why ? `: ${escapeHtml(why)}` : ""}`;
}

function nasSection(doc: SuiteDocument): string {
  const runs = doc.runs.filter((r) => r.suite === "nas");
  if (runs.length === 0) return "";
  const k = KERNELS as readonly string[];
  const sorted = [...runs].sort(
    (a, b) =>
      k.indexOf(a.kernel ?? "") - k.indexOf(b.kernel ?? "") ||
      a.np - b.np ||
      doc.settings.transports.indexOf(a.transport) - doc.settings.transports.indexOf(b.transport),
  );
  const rows = sorted.map((r) => [
    escapeHtml(`${(r.kernel ?? "").toUpperCase()} ${r.class ?? ""}`),
    escapeHtml(r.transport),
    escapeHtml(r.placement.name),
    String(r.np),
    num(r.nas?.time, 3),
    num(r.nas?.mops, 2),
    num(r.nas ? r.nas.mops / r.np : undefined, 2),
    verdict(r),
  ]);
  return `<h2>NAS Parallel Benchmarks</h2>\n${htmlTable(["kernel", "transport", "placement", "np", "time (s)", "Mop/s", "Mop/s/proc", "verification"], rows, (i) => i >= 3 && i <= 6)}`;
}

function p2pSection(doc: SuiteDocument): string {
  const runs = doc.runs.filter((r) => r.suite === "p2p" && r.p2p);
  if (runs.length === 0) return "";
  const parts: string[] = ["<h2>Point-to-point (2 ranks)</h2>"];
  for (const [metric, title, digits] of [
    ["latencyUs", "latency, µs (median)", 2],
    ["bandwidthMBps", "bandwidth, MB/s (median)", 1],
    ["bibwMBps", "bidirectional bandwidth, MB/s (median)", 1],
  ] as const) {
    const sizes = [...new Set(runs.flatMap((r) => r.p2p![metric].map((x) => x.bytes)))].sort((a, b) => a - b);
    if (sizes.length === 0) continue;
    const rows = sizes.map((b) => [formatBytes(b), ...runs.map((r) => num(r.p2p![metric].find((x) => x.bytes === b)?.median, digits))]);
    parts.push(`<h3>${escapeHtml(title)}</h3>\n${htmlTable(["bytes", ...runs.map(seriesLabel)], rows, () => true)}`);
  }
  return parts.join("\n");
}

function collSection(doc: SuiteDocument): string {
  const runs = doc.runs.filter((r) => r.suite === "coll" && r.coll);
  if (runs.length === 0) return "";
  const keys = new Map<string, { collective: string; bytes: number }>();
  for (const r of runs) for (const row of r.coll!.rows) keys.set(`${row.collective}/${row.bytes}`, { collective: row.collective, bytes: row.bytes });
  const rows = [...keys.values()].map((k) => [
    escapeHtml(k.collective),
    formatBytes(k.bytes),
    ...runs.map((r) => num(r.coll!.rows.find((x) => x.collective === k.collective && x.bytes === k.bytes)?.avgUs, 2)),
  ]);
  const head = ["collective", "bytes", ...runs.map((r) => `${seriesLabel(r)} np${r.np}`)];
  return `<h2>Collectives</h2>\n<h3>latency, µs (average over ranks)</h3>\n${htmlTable(head, rows, (i) => i >= 1)}`;
}

function problemsSection(doc: SuiteDocument): string {
  const bad = doc.runs.filter((r) => r.status !== "ok");
  if (bad.length === 0) return "";
  const rows = bad.map((r) => [
    escapeHtml(r.id),
    verdict(r),
    r.log && r.log.length > 0 ? `<details><summary>output</summary><pre>${escapeHtml(r.log.join("\n"))}</pre></details>` : "",
  ]);
  return `<h2>Runs that did not succeed</h2>\n${htmlTable(["run", "status", "last output"], rows, () => false)}`;
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1280px;padding:0 16px;color:#222}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}h3{font-size:15px}
table{border-collapse:collapse;margin:8px 0}th,td{padding:3px 10px;border-bottom:1px solid #eee;text-align:left}
th{background:#f6f6f6}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:#187a2f;font-weight:600}.bad{color:#c00;font-weight:600}.na{color:#8a6d00;font-weight:600}
figure{margin:16px 0;overflow-x:auto}figcaption{color:#555;font-size:13px}pre{font-size:12px;background:#f6f6f6;padding:8px;overflow-x:auto}
dl{display:grid;grid-template-columns:max-content auto;gap:2px 16px}dt{color:#555}`;

export async function renderHtml(doc: SuiteDocument): Promise<string> {
  const charts = buildCharts(doc);
  const figures: string[] = [];
  for (const c of charts) {
    const svg = await renderSvg(c.spec);
    figures.push(`<figure id="${c.id}"><h3>${escapeHtml(c.title)}</h3>\n${svg}\n<figcaption>${escapeHtml(c.caption)}</figcaption></figure>`);
  }
  const counts = countByStatus(doc);
  const m = doc.machine;
  const info: [string, string][] = [
    ["created", doc.created],
    [
      "machine",
      `${m.hostname}: ${m.os} ${m.arch}, ${m.cpus} × ${m.cpuModel}, ${(m.memoryBytes / 2 ** 30).toFixed(1)} GiB, load ${m.load1.toFixed(2)} at start`,
    ],
    ["versions", `tsmpi ${doc.versions.tsmpi}, Node.js ${doc.versions.node} (V8 ${doc.versions.v8})`],
    [
      "dependencies",
      Object.entries(doc.versions.dependencies)
        .map(([k, v]) => `${k} ${v}`)
        .join(", "),
    ],
    ["command", doc.commandLine.join(" ")],
    [
      "runs",
      `${doc.runs.length}: ${counts.ok} ok, ${counts.failed} failed verification, ${counts.error} errors, ${counts.unavailable} unavailable; ${doc.seconds.toFixed(1)} s`,
    ],
  ];
  // "</" inside the embedded JSON would end the script element early.
  const json = JSON.stringify(doc).replace(/<\//g, "<\\/");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tsmpi benchmark report ${escapeHtml(doc.created)}</title>
<style>${STYLE}</style></head>
<body>
<h1>tsmpi benchmark report</h1>
<dl>${info.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join("")}</dl>
${nasSection(doc)}
${p2pSection(doc)}
${collSection(doc)}
<h2>Charts</h2>
${figures.join("\n")}
${problemsSection(doc)}
<h2>Settings</h2>
<details><summary>every setting of this run (also in the JSON)</summary><pre>${escapeHtml(JSON.stringify(doc.settings, null, 2))}</pre></details>
<script type="application/json" id="suite-data">${json}</script>
</body></html>
`;
}
