/**
 * The self-contained HTML report: tables, charts as inline SVG (rendered by
 * charts.ts), machine and versions, every setting, and the whole document
 * as embedded JSON — one file that opens anywhere without a network.
 */
import { type Cell, type Column, formatCell, type TableData } from "../lib/table.ts";
import { buildCharts, renderSvg } from "./charts.ts";
import { collData, countByStatus, loadLine, nasData, oversubscriptionWarning, p2pData } from "./table.ts";
import type { RunRecord, SuiteDocument } from "./types.ts";

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * One table from the same data the terminal draws. `verdicts` colours a
 * "verification" column; `html` says the cells are HTML already.
 */
function htmlTable(t: TableData, options: { verdicts?: boolean; html?: boolean } = {}): string {
  const { verdicts = false, html = false } = options;
  const cls = (c: Column): string => (c.align === "left" ? "" : ' class="n"');
  const th = t.columns.map((c) => `<th${cls(c)}>${escapeHtml(c.title)}</th>`).join("");
  const td = (c: Column, v: Cell): string => {
    if (html) return String(v ?? "");
    const text = escapeHtml(formatCell(v, c.digits));
    if (!verdicts || c.title !== "verification") return text;
    const kind = text === "SUCCESSFUL" || text === "ok" ? "ok" : text === "unavailable" ? "na" : "bad";
    return `<span class="${kind}">${text}</span>`;
  };
  const tr = t.rows.map((r) => `<tr>${t.columns.map((c, i) => `<td${cls(c)}>${td(c, r[i])}</td>`).join("")}</tr>`).join("\n");
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
  const t = nasData(doc);
  return t ? `<h2>NAS Parallel Benchmarks</h2>\n<p>Median [min–max] of the launches; time/shm against the shm run.</p>\n${htmlTable(t, { verdicts: true })}` : "";
}

function p2pSection(doc: SuiteDocument): string {
  const parts: string[] = [];
  for (const [metric, title] of [
    ["latencyUs", "latency, µs"],
    ["bandwidthMBps", "bandwidth, MB/s"],
    ["bibwMBps", "bidirectional bandwidth, MB/s"],
  ] as const) {
    const t = p2pData(doc, metric);
    if (t) parts.push(`<h3>${escapeHtml(title)} (median [min–max] over repeats; /shm against shm)</h3>\n${htmlTable(t)}`);
  }
  return parts.length > 0 ? `<h2>Point-to-point (2 ranks)</h2>\n${parts.join("\n")}` : "";
}

function collSection(doc: SuiteDocument): string {
  const t = collData(doc);
  return t ? `<h2>Collectives</h2>\n<h3>latency, µs (average over ranks: median [min–max] over repeats; /shm against shm)</h3>\n${htmlTable(t)}` : "";
}

function warningSection(doc: SuiteDocument): string {
  const w = oversubscriptionWarning(doc);
  return w ? `<h2>Warning</h2>\n<pre class="bad">${escapeHtml(w)}</pre>` : "";
}

function problemsSection(doc: SuiteDocument): string {
  const bad = doc.runs.filter((r) => r.status !== "ok");
  if (bad.length === 0) return "";
  const rows = bad.map((r) => [
    escapeHtml(r.id),
    verdict(r),
    r.log && r.log.length > 0 ? `<details><summary>output</summary><pre>${escapeHtml(r.log.join("\n"))}</pre></details>` : "",
  ]);
  const columns: Column[] = [
    { title: "run", align: "left" },
    { title: "status", align: "left" },
    { title: "last output", align: "left" },
  ];
  return `<h2>Runs that did not succeed</h2>\n${htmlTable({ columns, rows }, { html: true })}`;
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
      `${m.hostname}: ${m.os} ${m.arch}, ${m.cpus} × ${m.cpuModel}, ${(m.memoryBytes / 2 ** 30).toFixed(1)} GiB`,
    ],
    ["load", loadLine(doc) ?? `${m.load1.toFixed(2)} (1 min)`],
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
${warningSection(doc)}
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
