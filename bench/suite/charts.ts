/**
 * The report's charts as Vega-Lite specifications, drawn from a suite
 * document, and rendered to SVG in Node by Vega (no browser, no canvas:
 * the "none" renderer lays marks out and toSVG writes them).
 */
import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { formatBytes } from "../lib/sizes.ts";
import { seriesLabel } from "./table.ts";
import { KERNELS, type RunRecord, type SuiteDocument } from "./types.ts";

export interface Chart {
  id: string;
  title: string;
  /** One sentence under the chart saying what is plotted. */
  caption: string;
  spec: TopLevelSpec;
}

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";
/** Byte counts on a log axis, labelled 8, 1K, 64K, 1M (a Vega expression). */
const BYTES_LABEL =
  "datum.value >= 1048576 ? format(datum.value / 1048576, '~g') + 'M' : datum.value >= 1024 ? format(datum.value / 1024, '~g') + 'K' : format(datum.value, '~g')";

/** The x encoding of a message size: a log2 axis with a tick at every size measured. */
function bytesAxis(title: string, sizes: number[]) {
  return { field: "bytes", type: "quantitative", scale: { type: "log", base: 2 }, axis: { title, values: sizes, labelExpr: BYTES_LABEL } } as const;
}
/** Fixed colours per transport name, so every chart uses the same one for the same transport. */
const TRANSPORT_COLORS: Record<string, string> = { self: "#e0e0e0", shm: "#4c78a8", bridged: "#f58518", vf: "#54a24b", slurpoe: "#b279a2", memory: "#9d755d" };

/** Colours for further placements of a transport already drawn (the first placement gets the transport's own colour). */
const EXTRA_COLORS = ["#e45756", "#72b7b2", "#eeca3b", "#ff9da6", "#bab0ac", "#9ecae9", "#ffbf79", "#88d27a"];

/**
 * A colour scale over series labels, ordered as the settings list the
 * transports, so one transport has the same colour in every chart.
 */
function seriesColor(doc: SuiteDocument, runs: readonly RunRecord[], label: (r: RunRecord) => string): { domain: string[]; range: string[] } {
  const order = doc.settings.transports;
  const rank = (t: string): number => (order.includes(t) ? order.indexOf(t) : order.length);
  const seen = new Map<string, string>();
  for (const r of [...runs].sort((a, b) => rank(a.transport) - rank(b.transport) || a.placement.name.localeCompare(b.placement.name)))
    if (!seen.has(label(r))) seen.set(label(r), r.transport);
  const used = new Set<string>();
  let extra = 0;
  const range = [...seen.values()].map((t) => {
    const own = TRANSPORT_COLORS[t];
    if (own && !used.has(t)) {
      used.add(t);
      return own;
    }
    return EXTRA_COLORS[extra++ % EXTRA_COLORS.length]!;
  });
  return { domain: [...seen.keys()], range };
}

function p2pChart(doc: SuiteDocument, metric: "latencyUs" | "bandwidthMBps" | "bibwMBps", title: string, yTitle: string): Chart | undefined {
  const runs = doc.runs.filter((r) => r.suite === "p2p" && r.p2p);
  const values = runs.flatMap((r) =>
    r
      .p2p![metric].filter((x) => x.bytes > 0)
      .map((x) => ({ series: seriesLabel(r), bytes: x.bytes, size: formatBytes(x.bytes), median: x.median, min: x.min })),
  );
  if (values.length === 0) return undefined;
  const sizes = [...new Set(values.map((v) => v.bytes))].sort((a, b) => a - b);
  return {
    id: `p2p-${metric}`,
    title,
    caption: `Median of the repeats per message size, one line per transport and placement (2 ranks; 0-byte messages are left out of the log axis).`,
    spec: {
      $schema: SCHEMA,
      width: 560,
      height: 300,
      data: { values },
      mark: { type: "line", point: true },
      encoding: {
        x: bytesAxis("message size (bytes)", sizes),
        y: { field: "median", type: "quantitative", scale: { type: "log" }, axis: { title: yTitle } },
        color: { field: "series", type: "nominal", title: "transport placement", scale: seriesColor(doc, runs, seriesLabel) },
      },
    },
  };
}

function nasChart(doc: SuiteDocument, field: "time" | "mops", title: string, yTitle: string): Chart | undefined {
  const runs = doc.runs.filter((r) => r.suite === "nas");
  if (!runs.some((r) => r.nas)) return undefined;
  // Runs without a result (error, unavailable) stay in the chart as a label at zero, so a gap is never silent.
  const kernelLabel = (r: RunRecord): string => `${(r.kernel ?? "").toUpperCase()} ${r.class ?? ""} np${r.np}`;
  const kernelOrder = (r: RunRecord): number => (KERNELS as readonly string[]).indexOf(r.kernel ?? "");
  const kernels = [
    ...new Set([...runs].sort((a, b) => kernelOrder(a) - kernelOrder(b) || (a.class ?? "").localeCompare(b.class ?? "") || a.np - b.np).map(kernelLabel)),
  ];
  const color = seriesColor(doc, runs, seriesLabel);
  const values = runs.map((r) => ({
    kernel: kernelLabel(r),
    series: seriesLabel(r),
    value: r.nas ? r.nas[field] : 0,
    verdict: r.nas ? (r.nas.verified ? "SUCCESSFUL" : "FAILED") : r.status,
  }));
  return {
    id: `nas-${field}`,
    title,
    caption: `${yTitle} per kernel (class, ranks), one bar per transport and placement; each kernel has its own scale. Bars marked FAILED did not verify; "error" or "unavailable" at zero: no result.`,
    spec: {
      $schema: SCHEMA,
      data: { values },
      facet: { column: { field: "kernel", type: "nominal", title: null, sort: kernels } },
      resolve: { scale: { y: "independent" } },
      spec: {
        width: { step: 22 },
        height: 220,
        layer: [
          {
            mark: "bar",
            encoding: {
              x: { field: "series", type: "nominal", axis: { title: null, labelAngle: -60 }, sort: color.domain },
              y: { field: "value", type: "quantitative", axis: { title: yTitle } },
              color: { field: "series", type: "nominal", title: "transport placement", scale: color },
            },
          },
          {
            transform: [{ filter: "datum.verdict !== 'SUCCESSFUL'" }],
            mark: { type: "text", dy: -6, color: "#c00", fontWeight: "bold" },
            encoding: {
              x: { field: "series", type: "nominal", sort: color.domain },
              y: { field: "value", type: "quantitative" },
              text: { field: "verdict", type: "nominal" },
            },
          },
        ],
      },
    },
  };
}

function collChart(doc: SuiteDocument): Chart | undefined {
  const runs = doc.runs.filter((r) => r.suite === "coll" && r.coll);
  const label = (r: RunRecord): string => `${seriesLabel(r)} np${r.np}`;
  const values = runs.flatMap((r) =>
    r.coll!.rows.filter((x) => x.bytes > 0).map((x) => ({ collective: x.collective, series: label(r), bytes: x.bytes, avgUs: x.avgUs })),
  );
  if (values.length === 0) return undefined;
  const sizes = [...new Set(values.map((v) => v.bytes))].sort((a, b) => a - b);
  return {
    id: "coll-latency",
    title: "Collective latency vs message size",
    caption: "Average over ranks of each rank's median time per call, per collective; one line per transport and placement.",
    spec: {
      $schema: SCHEMA,
      data: { values },
      facet: { column: { field: "collective", type: "nominal", title: null } },
      spec: {
        width: 220,
        height: 220,
        mark: { type: "line", point: true },
        encoding: {
          x: bytesAxis("bytes per rank", sizes),
          y: { field: "avgUs", type: "quantitative", scale: { type: "log" }, axis: { title: "latency (µs)" } },
          color: { field: "series", type: "nominal", title: "transport placement", scale: seriesColor(doc, runs, label) },
        },
      },
    },
  };
}

/** One heatmap per distinct placement that was run: the transport every rank pair uses. */
function matrixChart(doc: SuiteDocument): Chart | undefined {
  const order = doc.settings.transports;
  const withMatrix = doc.runs
    .filter((r) => r.placement.matrix && r.placement.matrix.length > 1)
    .sort((a, b) => order.indexOf(a.transport) - order.indexOf(b.transport) || a.placement.name.localeCompare(b.placement.name) || a.np - b.np);
  const preferred = withMatrix.filter((r) => r.suite !== "p2p");
  const seen = new Map<string, RunRecord>();
  for (const r of preferred.length > 0 ? preferred : withMatrix) {
    const key = `${seriesLabel(r)}, ${r.np} ranks`;
    if (!seen.has(key)) seen.set(key, r);
  }
  if (seen.size === 0) return undefined;
  const values = [...seen].flatMap(([placement, r]) =>
    r.placement.matrix!.flatMap((row, from) =>
      row.map((transport, to) => ({ placement, from, to, transport, vmFrom: r.placement.vms?.[from], vmTo: r.placement.vms?.[to] })),
    ),
  );
  const names = [...new Set(values.map((v) => v.transport))];
  return {
    id: "pair-matrix",
    title: "Transport between every pair of ranks",
    caption: "Row = sending rank, column = receiving rank; ranks in one VM always use shm, ranks in different VMs the placement's transport.",
    spec: {
      $schema: SCHEMA,
      data: { values },
      facet: { field: "placement", type: "nominal", title: null, sort: [...seen.keys()] },
      columns: 4,
      spec: {
        width: { step: 34 },
        height: { step: 34 },
        encoding: {
          x: { field: "to", type: "ordinal", axis: { title: "to rank", labelAngle: 0 } },
          y: { field: "from", type: "ordinal", axis: { title: "from rank" } },
        },
        layer: [
          {
            mark: { type: "rect", stroke: "white" },
            encoding: {
              color: {
                field: "transport",
                type: "nominal",
                title: "transport",
                scale: { domain: names, range: names.map((n) => TRANSPORT_COLORS[n] ?? "#888") },
              },
            },
          },
          { mark: { type: "text", fontSize: 8 }, encoding: { text: { field: "transport", type: "nominal" } } },
        ],
      },
    },
  };
}

export function buildCharts(doc: SuiteDocument): Chart[] {
  return [
    p2pChart(doc, "latencyUs", "Point-to-point latency vs message size", "latency (µs, half round trip)"),
    p2pChart(doc, "bandwidthMBps", "Point-to-point bandwidth vs message size", "bandwidth (MB/s)"),
    p2pChart(doc, "bibwMBps", "Point-to-point bidirectional bandwidth vs message size", "bandwidth (MB/s, both directions)"),
    nasChart(doc, "time", "NAS kernels: time", "time (s)"),
    nasChart(doc, "mops", "NAS kernels: Mop/s", "Mop/s total"),
    collChart(doc),
    matrixChart(doc),
  ].filter((c): c is Chart => c !== undefined);
}

/** Compiles Vega-Lite to Vega and renders it headless to an SVG string. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
