import { describe, expect, it } from "vitest";
import { formatOsu } from "../../bench/lib/osu-text.ts";

describe("OSU text layout", () => {
  it("prints osu_latency's layout: title, notes, # Size header, raw byte sizes in 10 columns, figures in 18 with 2 decimals", () => {
    const text = formatOsu({
      test: "Latency",
      column: "Latency (us)",
      notes: ["tsmpi 0.1.0, shm"],
      rows: [
        { bytes: 0, value: 0.3 },
        { bytes: 8, value: 0.314 },
        { bytes: 1048576, value: 123.456 },
      ],
    });
    expect(text.split("\n")).toEqual([
      "# OSU MPI Latency Test v7.3",
      "# tsmpi 0.1.0, shm",
      "# Size          Latency (us)",
      "0                       0.30",
      "8                       0.31",
      "1048576               123.46",
    ]);
  });

  it("reads back the way OSU parsers read it: skip # lines, split on whitespace", () => {
    const text = formatOsu({
      test: "Bandwidth",
      column: "Bandwidth (MB/s)",
      full: true,
      rows: [{ bytes: 65536, value: 1234.5, min: 1000, max: 1500.25, iterations: 40 }],
    });
    const data = text
      .split("\n")
      .filter((l) => !l.startsWith("#"))
      .map((l) => l.trim().split(/\s+/).map(Number));
    expect(data).toEqual([[65536, 1234.5, 1000, 1500.25, 40]]);
    const header = text.split("\n").find((l) => l.startsWith("# Size"))!;
    expect(header).toMatch(/Bandwidth \(MB\/s\) +Min Bandwidth \(MB\/s\) +Max Bandwidth \(MB\/s\) +Iterations$/);
  });

  it("prints a sizeless test (osu_barrier) as one row of figures", () => {
    expect(formatOsu({ test: "Barrier Latency", column: "Avg Latency(us)", sizeless: true, rows: [{ bytes: 0, value: 2.5 }] }).split("\n")).toEqual([
      "# OSU MPI Barrier Latency Test v7.3",
      "# Avg Latency(us)",
      "              2.50",
    ]);
  });
});
