/**
 * The study's HTML report, self-contained (inline SVG, no scripts): the
 * conclusions first, computed from the JSON's rows; then per program and size
 * the modelled time per strategy × transport with the speed-up over block,
 * the busiest shared resources, the communication heat map beside the
 * comm-aware placement, and the program's characterisation.
 */
import type { StudyPoint, StudyRow } from "./types.ts";

const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const ms = (s: number): string => `${(s * 1e3).toFixed(3)} ms`;
const pct = (x: number): string => `${Math.abs(x) < 5e-4 ? "0.0" : (100 * x).toFixed(1)} %`;

function row(p: StudyPoint, transport: string, strategy: string): StudyRow | undefined {
  return p.rows.find((r) => r.transport === transport && r.strategy.startsWith(strategy));
}

/** Sentences computed from the rows; each names the rows it compares. */
export function conclusions(points: StudyPoint[]): string[] {
  const out: string[] = [];
  for (const p of points) {
    const where = `${p.spec.label} on ${p.spec.np} ranks`;
    for (const t of p.spec.transports) {
      const block = row(p, t, "block");
      const aware = row(p, t, "comm-aware");
      const plain = p.rows.filter((r) => r.transport === t && !r.strategy.startsWith("comm-aware"));
      const bestPlain = plain.reduce((a, b) => (b.estimateSeconds < a.estimateSeconds ? b : a), plain[0]!);
      if (block && aware)
        out.push(
          `${where} under ${t}: comm-aware is modelled at ${ms(aware.estimateSeconds)}, ${pct(1 - aware.estimateSeconds / block.estimateSeconds)} below block (${ms(block.estimateSeconds)}); ` +
            `the best of block/cyclic/random is ${bestPlain.strategy} at ${ms(bestPlain.estimateSeconds)}` +
            (aware.kept === "comm-aware" ? "; the mapper's own map was kept." : `; the mapper's map was modelled no cheaper, so ${aware.kept}'s was kept.`),
        );
    }
    const [a, b] = [p.spec.transports.find((t) => t === "bridged"), p.spec.transports.find((t) => t === "vf")];
    if (a && b) {
      const ab = row(p, a, "block");
      const vb = row(p, b, "block");
      const aa = row(p, a, "comm-aware");
      if (ab && vb && aa && ab.estimateSeconds > vb.estimateSeconds)
        out.push(
          `${where}: under block placement the bridged path costs ${pct(ab.estimateSeconds / vb.estimateSeconds - 1)} more than vf; ` +
            `comm-aware placement recovers ${pct((ab.estimateSeconds - aa.estimateSeconds) / (ab.estimateSeconds - vb.estimateSeconds))} of that gap.`,
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

function bars(rows: StudyRow[]): string {
  const max = Math.max(...rows.map((r) => r.estimateSeconds));
  return rows
    .map(
      (r) =>
        `<div class="bar"><span class="label">${esc(r.transport)} · ${esc(r.strategy)}</span><span class="fill" style="width:${((300 * r.estimateSeconds) / max).toFixed(1)}px"></span> ${ms(r.estimateSeconds)}</div>`,
    )
    .join("");
}

export function studyHtml(points: StudyPoint[], meta: Record<string, unknown>): string {
  const sections = points.map((p) => {
    const c = p.characterisation;
    const vms = p.spec.machine.hosts * p.spec.machine.vmsPerHost;
    const table = p.rows
      .map((r) => {
        const block = row(p, r.transport, "block");
        return `<tr><td>${esc(r.transport)}</td><td>${esc(r.strategy)}</td><td>${ms(r.estimateSeconds)}</td><td>${block ? (block.estimateSeconds / r.estimateSeconds).toFixed(3) : ""}</td><td>${pct(r.bytesInsideVms)}</td><td>${pct(r.bytesInsideHosts)}</td><td>${r.topLoads.map(([k, v]) => `${esc(k)} ${ms(v)}`).join("<br>")}</td><td>${r.mapSeconds.toFixed(2)} s</td></tr>`;
      })
      .join("");
    const strips = Object.entries(p.vmOf)
      .map(([s, v]) => `<div>${esc(s)}<br>${placementStrip(v, vms)}</div>`)
      .join("");
    return `<section><h2>${esc(p.spec.label)} — ${p.spec.np} ranks on ${p.spec.machine.hosts} hosts × ${p.spec.machine.vmsPerHost} VMs × ${p.spec.machine.slots} slots</h2>
<table><tr><th>transport</th><th>strategy</th><th>modelled time</th><th>speed-up over block</th><th>bytes in VMs</th><th>bytes in hosts</th><th>busiest shared resources (busy time)</th><th>mapping</th></tr>${table}</table>
<div class="charts"><div><h3>modelled time</h3>${bars(p.rows)}</div><div><h3>bytes sent (row → column, ${c.heat.cell} rank(s) per cell)</h3>${heatMap(p)}</div><div><h3>VM of every rank (${esc(p.spec.transports[0]!)})</h3>${strips}</div></div>
<h3>characterisation</h3><ul><li>${c.messagesPerRank.toFixed(0)} messages and ${(c.bytesPerRank / 1e6).toFixed(3)} MB sent per rank, to ${c.peersPerRank.toFixed(1)} peers on average</li>
<li>${c.messagesPerSecondPerRank.toFixed(0)} messages/s and ${(c.bytesPerSecondPerRank / 1e6).toFixed(3)} MB/s per rank over the profiling run (sim engine, wall time ${p.profileSeconds.toFixed(1)} s, every rank on one thread)</li>
<li>message sizes (mean per pair): ${c.sizeHistogram.map(([b, m]) => `≤${b} B: ${m}`).join(", ")}</li>
<li>busiest shared resource per transport (block): ${p.spec.transports.map((t) => `${t}: ${row(p, t, "block")?.busiest?.resource ?? "none"}`).join(", ")}</li></ul></section>`;
  });
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>tsmpi placement study</title><style>
body{font:14px system-ui,sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left}
.charts{display:flex;gap:2em;flex-wrap:wrap;margin:1em 0}.bar{white-space:nowrap}.label{display:inline-block;width:220px}.fill{display:inline-block;height:10px;background:#4a7}
</style></head><body><h1>tsmpi placement study</h1>
<h2>Conclusions</h2><ul>${conclusions(points)
    .map((s) => `<li>${esc(s)}</li>`)
    .join("")}</ul>
<p>Modelled time: the cost model of src/placement/mapper/evaluate.ts on each program's profile (an average rank's communication plus the busiest shared resource), with the path costs of src/placement/mapper/presets.ts; every number is in the JSON beside this file. ${esc(JSON.stringify(meta))}</p>
${sections.join("\n")}</body></html>
`;
}
