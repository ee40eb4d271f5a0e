/**
 * Point-to-point over the inter-VM transports, with a raw baseline in the
 * same run: ping-pong half round trip (8 B by default) and streaming
 * bandwidth (1 MiB messages in windows) between ranks 0 and 1 placed in two
 * VMs, over `vf` and `bridged`, on one host and on two hosts; and two plain
 * Node processes doing the same over a TCP socket on loopback (no tsmpi).
 * Prints the table and the ratios against issue 4's targets, writes JSON to
 * results/.
 *
 *   npx tsx bench/transports/p2p-transports.ts [--quick] [--rounds R] [--transport vf,bridged] [--out FILE]
 *
 * Targets (issue 4, "Must show"): vf 8 B ≤ 1.25 × raw; vf 1 MiB bandwidth ≥
 * 0.8 × raw; bridged 8 B ≤ 2.5 × vf.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { launch } from "../../src/launcher/launch.ts";
import { generateMap, parseMapBy } from "../../src/placement/index.ts";
import { scriptCli } from "../lib/cli.ts";
import { writeJson } from "../lib/results.ts";
import { stamp } from "../lib/stamp.ts";
import { median } from "../lib/stats.ts";
import { formatTable, withSpread } from "../lib/table.ts";

const { values } = scriptCli(
  "node --import tsx bench/transports/p2p-transports.ts [--quick] [--transport vf,bridged] [--iterations N] [--repeats N] [--rounds N] [--out file.json]",
  {
    quick: { type: "boolean" },
    transport: { type: "string", default: "vf,bridged" },
    out: { type: "string" },
    iterations: { type: "string" },
    repeats: { type: "string" },
    rounds: { type: "string" },
  },
);
const quick = Boolean(values.quick);
const iterations = Number(values.iterations ?? (quick ? 500 : 3000));
const repeats = Number(values.repeats ?? (quick ? 3 : 5));
const rounds = Number(values.rounds ?? (quick ? 1 : 3));
const sizes = [8, 65536];
const bwBytes = 1 << 20;
const window = 16;
const bwIterations = quick ? 5 : 20;
const args = [iterations, sizes.join(","), bwBytes, window, bwIterations, repeats].map(String);

interface Row {
  path: string;
  latencyUs: Record<number, number>;
  bandwidthMBps: number;
  samples: { latency: Record<number, number[]>; bandwidth: number[] };
}

const tsxLoader = import.meta.resolve("tsx");
const raw = fileURLToPath(new URL("./raw-tcp.ts", import.meta.url));

async function rawBaseline(): Promise<Row> {
  const server = spawn(process.execPath, ["--import", tsxLoader, raw, "server"], { stdio: ["ignore", "pipe", "inherit", "ipc"] });
  try {
    const port = await new Promise<string>((resolve) => createInterface({ input: server.stdout! }).once("line", resolve));
    const client = spawn(process.execPath, ["--import", tsxLoader, raw, "client", port, ...args], { stdio: ["ignore", "pipe", "inherit"] });
    let text = "";
    client.stdout!.on("data", (c: Buffer) => (text += c.toString()));
    await new Promise((r) => client.on("exit", r));
    const r = JSON.parse(text) as Row["samples"];
    return summarize("raw Node TCP (2 processes, loopback)", r);
  } finally {
    server.kill();
  }
}

function summarize(path: string, s: Row["samples"]): Row {
  const latencyUs: Record<number, number> = {};
  for (const [b, list] of Object.entries(s.latency)) latencyUs[Number(b)] = median(list);
  return { path, latencyUs, bandwidthMBps: median(s.bandwidth), samples: s };
}

async function tsmpi(transport: string, hosts: number): Promise<Row> {
  const program = fileURLToPath(new URL("./p2p-program.ts", import.meta.url));
  const errors: string[] = [];
  const r = await launch({
    np: 2,
    program,
    args,
    placement: generateMap({ np: 2, hosts, vmsPerHost: hosts === 1 ? 2 : 1, mapBy: parseMapBy("block"), transport }),
    stdout: () => {},
    stderr: (l) => errors.push(l),
  });
  if (!r.ok) throw new Error(`${transport} on ${hosts} host(s) failed: ${r.failure}\n${errors.join("\n")}`);
  const hops = transport === "bridged" ? (hosts === 1 ? "VM→bridge→VM" : "VM→bridge→bridge→VM") : "VM→VM direct";
  return summarize(`tsmpi ${transport}, 2 VMs on ${hosts} host(s) (${hops})`, r.ranks[0]!.value as Row["samples"]);
}

function ratioLine(name: string, value: number, target: string, ok: boolean): string {
  return `  ${name.padEnd(44)} ${value.toFixed(2).padStart(6)}   target ${target.padEnd(7)} ${ok ? "met" : "NOT met"}`;
}

async function main(): Promise<void> {
  const transports = values.transport!.split(",");
  // Rounds interleave every path (baseline first in each), so a change of load
  // on this shared machine hits all paths alike; each row is the median over rounds.
  const byPath = new Map<string, Row[]>();
  for (let round = 0; round < rounds; round++) {
    const order = [() => rawBaseline(), ...transports.flatMap((t) => [1, 2].map((h) => () => tsmpi(t, h)))];
    for (const measure of order) {
      const row = await measure();
      byPath.set(row.path, [...(byPath.get(row.path) ?? []), row]);
    }
  }
  const rows: Row[] = [...byPath.values()].map((list) => ({
    path: list[0]!.path,
    latencyUs: Object.fromEntries(sizes.map((b) => [b, median(list.map((r) => r.latencyUs[b]!))])),
    bandwidthMBps: median(list.map((r) => r.bandwidthMBps)),
    samples: {
      latency: Object.fromEntries(sizes.map((b) => [b, list.flatMap((r) => r.samples.latency[b]!)])),
      bandwidth: list.flatMap((r) => r.samples.bandwidth),
    },
  }));
  console.log(
    `\np2p over inter-VM transports (${rounds} round(s); ${iterations} round trips x ${repeats} repeats; bandwidth ${window} x 1 MiB x ${bwIterations} windows; median)`,
  );
  // Each cell: the median over rounds [fastest–slowest repeat of any round].
  const spread = (m: number, xs: number[]): string => withSpread(m, Math.min(...xs), Math.max(...xs), 2)!;
  console.log(
    formatTable(
      [{ title: "path", align: "left" }, ...sizes.map((s) => ({ title: `${s} B us [min–max]` })), { title: "1 MiB MB/s [min–max]" }],
      rows.map((r) => [r.path, ...sizes.map((s) => spread(r.latencyUs[s]!, r.samples.latency[s]!)), spread(r.bandwidthMBps, r.samples.bandwidth)]),
    ),
  );
  const base = { latency8: rows[0]!.latencyUs[8]!, bandwidth: rows[0]!.bandwidthMBps };
  const find = (t: string, h: number): Row | undefined => rows.find((r) => r.path.startsWith(`tsmpi ${t}, 2 VMs on ${h} `));
  const ratios: Record<string, number> = {};
  console.log("\nratios against issue 4's targets (same run, medians over rounds):");
  const vf = find("vf", 2) ?? find("vf", 1);
  if (vf) {
    ratios.vfLatency8VsRaw = vf.latencyUs[8]! / base.latency8;
    ratios.vfBandwidthVsRaw = vf.bandwidthMBps / base.bandwidth;
    console.log(ratioLine("vf 8 B half round trip / raw", ratios.vfLatency8VsRaw, "<= 1.25", ratios.vfLatency8VsRaw <= 1.25));
    console.log(ratioLine("vf 1 MiB bandwidth / raw", ratios.vfBandwidthVsRaw, ">= 0.8", ratios.vfBandwidthVsRaw >= 0.8));
  }
  for (const h of [1, 2]) {
    const b = find("bridged", h);
    const v = find("vf", h);
    if (b && v) {
      const key = `bridgedLatency8VsVf${h}Host`;
      ratios[key] = b.latencyUs[8]! / v.latencyUs[8]!;
      console.log(ratioLine(`bridged 8 B / vf 8 B (${h} host${h > 1 ? "s" : ""})`, ratios[key]!, "<= 2.5", ratios[key]! <= 2.5));
    }
  }
  const out = values.out ?? `results/p2p-transports-${new Date().toISOString().replace(/[:.]/g, "-")}.json`;
  writeJson(out, {
    source: "tsmpi bench/transports/p2p-transports.ts",
    stamp: stamp(),
    rounds,
    iterations,
    repeats,
    window,
    bwIterations,
    bwBytes,
    rows,
    ratios,
  });
  console.log(`\nwrote ${out}`);
}

await main();
