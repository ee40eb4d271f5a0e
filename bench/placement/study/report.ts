/**
 * The study's HTML report, self-contained (inline SVG and CSS, no scripts, so
 * it opens offline): the conclusions first, computed from the JSON's rows; how
 * to read the spread; then per program and size the simulated time per
 * strategy × transport with the speed-up over block, the live runs beside them
 * where the size was run live (median and min–max), the model's estimate, the
 * busiest shared resources, the communication heat map beside each placement,
 * and the program's characterisation.
 */
import { loadText, oversubscriptionNote } from "../../lib/load.ts";
import type { StudyPoint, StudyRow } from "./types.ts";

const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const ms = (s: number): string => `${(s * 1e3).toFixed(3)} ms`;
const pct = (x: number): string => `${Math.abs(x) < 5e-4 ? "0.0" : (100 * x).toFixed(1)} %`;

function row(p: StudyPoint, transport: string, strategy: string): StudyRow | undefined {
  return p.rows.find((r) => r.transport === transport && r.strategy.startsWith(strategy));
}

const plainRows = (p: StudyPoint, t: string): StudyRow[] => p.rows.filter((r) => r.transport === t && !r.strategy.startsWith("comm-aware"));
const fastest = (rows: StudyRow[], by: (r: StudyRow) => number): StudyRow | undefined =>
  rows.reduce<StudyRow | undefined>((a, b) => (!a || by(b) < by(a) ? b : a), undefined);

/** Sentences computed from the rows; each names the rows it compares. */
export function conclusions(points: StudyPoint[]): string[] {
  const out: string[] = [];
  for (const p of points) {
    const where = `${p.spec.label} on ${p.spec.np} ranks`;
    for (const t of p.spec.transports) {
      const block = row(p, t, "block");
      const aware = row(p, t, "comm-aware");
      const bestPlain = fastest(plainRows(p, t), (r) => r.virtualSeconds);
      if (block && aware && bestPlain)
        out.push(
          `${where} under ${t}: comm-aware is simulated at ${ms(aware.virtualSeconds)}, ${pct(1 - aware.virtualSeconds / block.virtualSeconds)} below block (${ms(block.virtualSeconds)}); ` +
            `the best of block/cyclic/random is ${bestPlain.strategy} at ${ms(bestPlain.virtualSeconds)}` +
            (aware.kept.startsWith("comm-aware")
              ? "; the mapper's own map was the fastest and was kept."
              : `; the mapper's own map simulated at ${ms(aware.mapperVirtualSeconds ?? Number.NaN)}, so ${aware.kept}'s was kept.`),
        );
    }
    const [a, b] = [p.spec.transports.find((t) => t === "bridged"), p.spec.transports.find((t) => t === "vf")];
    if (a && b) {
      const ab = row(p, a, "block");
      const vb = row(p, b, "block");
      const aa = row(p, a, "comm-aware");
      if (ab && vb && aa && ab.virtualSeconds > vb.virtualSeconds)
        out.push(
          `${where}: under block placement the bridged path costs ${pct(ab.virtualSeconds / vb.virtualSeconds - 1)} more than vf (simulated); ` +
            `comm-aware placement recovers ${pct((ab.virtualSeconds - aa.virtualSeconds) / (ab.virtualSeconds - vb.virtualSeconds))} of that gap.`,
        );
    }
    for (const t of p.spec.transports) {
      const lived = p.rows.filter((r) => r.transport === t && r.live);
      const liveBest = fastest(lived, (r) => r.live!.seconds.median);
      const simBest = fastest(lived, (r) => r.virtualSeconds);
      if (liveBest && simBest)
        out.push(
          `${where} under ${t}, run live: ${liveBest.strategy} was fastest (median ${ms(liveBest.live!.seconds.median)}, ${ms(liveBest.live!.seconds.min)}–${ms(liveBest.live!.seconds.max)} over ${liveBest.live!.seconds.samples.length} runs); ` +
            `the simulator ranked ${simBest.strategy} first${liveBest === simBest ? " too" : ""}.`,
        );
    }
  }
  return out;
}

function heatMap(p: StudyPoint, size = 320): string {
  const { bytes, cell } = p.characterisation.heat;
  const n = bytes.length;
  const max = Math.max(1, ...bytes.flat());
  const px = size / n;
  const cells: string[] = [];
  for (let a = 0; a < n; a++)
    for (let b = 0; b < n; b++) {
      const v = bytes[a]![b]!;
      if (v === 0) continue;
      const shade = Math.round(255 * (1 - Math.sqrt(v / max)));
      cells.push(
        `<rect x="${(b * px).toFixed(2)}" y="${(a * px).toFixed(2)}" width="${px.toFixed(2)}" height="${px.toFixed(2)}" fill="rgb(255,${shade},${shade})"><title>ranks ${a * cell}.. → ${b * cell}..: ${v} B</title></rect>`,
      );
    }
  return `<svg width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" role="img" aria-label="heat map"><rect width="${size}" height="${size}" fill="#fff" stroke="#999"/>${cells.join("")}</svg>`;
}

function placementStrip(vmOf: number[], vms: number, width = 320): string {
  const px = width / vmOf.length;
  const rects = vmOf.map(
    (v, r) =>
      `<rect x="${(r * px).toFixed(2)}" y="0" width="${Math.max(px, 0.5).toFixed(2)}" height="18" fill="hsl(${Math.round((360 * v) / vms)},65%,55%)"><title>rank ${r}: vm${v}</title></rect>`,
  );
  return `<svg width="${width}" height="18" role="img" aria-label="VM of every rank">${rects.join("")}</svg>`;
}

/** Horizontal bars as one SVG: the simulated time per row, and the live median with its min–max whisker where there is one. */
function timeChart(rows: StudyRow[]): string {
  const label = 210;
  const span = 330;
  const h = 16;
  // Simulated and live times are of different machines: each on its own scale.
  const simMax = Math.max(...rows.map((r) => r.virtualSeconds));
  const x = (s: number): number => label + (span * s) / simMax;
  const liveMax = Math.max(...rows.map((r) => r.live?.seconds.max ?? 0));
  const lx = (s: number): number => label + (span * s) / liveMax;
  let y = 0;
  const parts: string[] = [];
  for (const r of rows) {
    parts.push(
      `<text x="0" y="${y + 12}" font-size="11">${esc(r.transport)} · ${esc(r.strategy)}</text>`,
      `<rect class="sim" x="${label}" y="${y + 3}" width="${(x(r.virtualSeconds) - label).toFixed(1)}" height="10" fill="#4a7"><title>simulated ${ms(r.virtualSeconds)}</title></rect>`,
      `<text x="${(x(r.virtualSeconds) + 4).toFixed(1)}" y="${y + 12}" font-size="10">${ms(r.virtualSeconds)}</text>`,
    );
    y += h;
    if (r.live) {
      const s = r.live.seconds;
      parts.push(
        `<rect class="live" x="${label}" y="${y + 3}" width="${(lx(s.median) - label).toFixed(1)}" height="10" fill="#e8a33d"><title>live median ${ms(s.median)} (${ms(s.min)}–${ms(s.max)})</title></rect>`,
        `<line x1="${lx(s.min).toFixed(1)}" x2="${lx(s.max).toFixed(1)}" y1="${y + 8}" y2="${y + 8}" stroke="#333"/>`,
        `<text x="${(lx(s.max) + 4).toFixed(1)}" y="${y + 12}" font-size="10">live ${ms(s.median)} (${ms(s.min)}–${ms(s.max)})</text>`,
      );
      y += h;
    }
  }
  return `<svg width="${label + span + 170}" height="${y}" role="img" aria-label="time per placement">${parts.join("")}</svg>`;
}

const liveCell = (r: StudyRow): string =>
  r.live
    ? `${ms(r.live.seconds.median)} (${ms(r.live.seconds.min)}–${ms(r.live.seconds.max)}, ${r.live.seconds.samples.length} runs, ${r.live.measured} time)`
    : "";

function section(p: StudyPoint): string {
  const c = p.characterisation;
  const vms = p.spec.machine.hosts * p.spec.machine.vmsPerHost;
  const table = p.rows
    .map((r) => {
      const block = row(p, r.transport, "block");
      const util = Object.entries(r.utilisation)
        .map(([k, v]) => `${esc(k)} ${pct(v)}`)
        .join("<br>");
      return `<tr><td>${esc(r.transport)}</td><td>${esc(r.strategy)}</td><td>${esc(r.kept)}</td><td>${ms(r.virtualSeconds)}</td><td>${block ? (block.virtualSeconds / r.virtualSeconds).toFixed(3) : ""}</td><td>${liveCell(r)}</td><td>${ms(r.estimateSeconds)}</td><td>${pct(r.bytesInsideVms)}</td><td>${pct(r.bytesInsideHosts)}</td><td>${util}</td><td>${r.mapSeconds.toFixed(2)} s</td></tr>`;
    })
    .join("");
  const strips = Object.entries(p.vmOf)
    .map(([s, v]) => `<div>${esc(s)}<br>${placementStrip(v, vms)}</div>`)
    .join("");
  const warn = p.oversubscribed ? `<p class="warning">${esc(oversubscriptionNote(`live runs: ${p.oversubscribed}`))}.</p>` : "";
  const share = p.spec.transports
    .map((t) => {
      const x = p.communication[t];
      return x ? `${t}: ${pct(x.share)} (${ms(x.communicationSeconds)} of ${ms(x.withComputeSeconds)})` : `${t}: —`;
    })
    .join(", ");
  const rates = p.spec.transports
    .map((t) => {
      const x = p.communication[t];
      return x
        ? `${t}: ${(c.messagesPerRank / x.withComputeSeconds).toFixed(0)} messages/s, ${(c.bytesPerRank / x.withComputeSeconds / 1e6).toFixed(2)} MB/s`
        : `${t}: —`;
    })
    .join("; ");
  return `<section><h2>${esc(p.spec.label)} — ${p.spec.np} ranks on ${p.spec.machine.hosts} hosts × ${p.spec.machine.vmsPerHost} VMs × ${p.spec.machine.slots} slots</h2>${warn}
<table><tr><th>transport</th><th>strategy</th><th>map kept</th><th>simulated time</th><th>speed-up over block (simulated)</th><th>live: median (min–max)</th><th>modelled estimate</th><th>bytes in VMs</th><th>bytes in hosts</th><th>busiest shared resources (simulated utilisation)</th><th>mapping</th></tr>${table}</table>
<div class="charts"><div><h3>time per placement${p.rows.some((r) => r.live) ? " (green: simulated; orange: live median, whisker min–max)" : " (simulated)"}</h3>${timeChart(p.rows)}</div><div><h3>bytes sent (row → column, ${c.heat.cell} rank(s) per cell)</h3>${heatMap(p)}</div><div><h3>VM of every rank (${esc(p.spec.transports[0]!)})</h3>${strips}</div></div>
<h3>characterisation</h3><ul><li>${c.messagesPerRank.toFixed(0)} messages and ${(c.bytesPerRank / 1e6).toFixed(3)} MB sent per rank, to ${c.peersPerRank.toFixed(1)} peers on average</li>
<li>per rank, over the simulated run (block, compute included): ${rates}</li>
<li>message sizes (mean per pair): ${c.sizeHistogram.map(([b, m]) => `≤${b} B: ${m}`).join(", ")}</li>
<li>share of the run that is communication (block, simulated: communication alone over communication plus the compute it did not hide, measured under the first transport with compute charged by CPU time): ${share}</li>
<li>busiest shared resource per transport (block, simulated): ${p.spec.transports.map((t) => `${t}: ${Object.keys(row(p, t, "block")?.utilisation ?? {})[0] ?? "none"}`).join(", ")}</li></ul></section>`;
}

export interface ReportMeta {
  date: string;
  tsmpi: string;
  cores: number;
  loadBefore: number[];
  loadAfter: number[];
}

export function studyHtml(points: StudyPoint[], meta: ReportMeta): string {
  const repeats = Math.max(0, ...points.filter((p) => p.spec.live).map((p) => p.spec.repeats));
  const computes = [...new Set(points.map((p) => p.spec.compute))].join(", ");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>tsmpi placement study</title><style>
body{font:14px system-ui,sans-serif;margin:2em;max-width:1300px}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}
.charts{display:flex;gap:2em;flex-wrap:wrap;margin:1em 0}.warning{color:#a00;font-weight:bold}
</style></head><body><h1>tsmpi placement study</h1>
<p>${esc(meta.date)} · tsmpi ${esc(meta.tsmpi)} · ${esc(loadText(meta.loadBefore, meta.loadAfter, meta.cores))}</p>
<h2>Conclusions</h2><ul>${conclusions(points)
    .map((s) => `<li>${esc(s)}</li>`)
    .join("")}</ul>
<h2>How to read it</h2><p>Simulated time: the program run in tsmpi's simulator on each placement, every frame charged on its path under the transport's cost model
(bridged: xen-bridged, vf: sriov, slurpoe: inic-slurpoe unless the study's model says otherwise), compute ${esc(computes)}. With compute none a simulation is exact:
repeating it gives the same virtual time to the last digit, so its spread is zero and one run is shown. Comm-aware is the fastest in simulation of the mapper's map and
block, cyclic and random (what <code>tsmpi map --verify</code> keeps); "map kept" names it. Live: the same placements run for real on this machine's transports, ${repeats || "no"} runs each,
median with min–max. Modelled estimate: the mapper's cost model on the profile (src/placement/mapper/evaluate.ts), which ranks candidates before they are simulated.
Every number is in study.json beside this file.</p>
${points.map(section).join("\n")}</body></html>
`;
}
