import { describe, expect, it } from "vitest";
import type { NasResult } from "../../bench/nas/common/report.ts";
import { clock, estimateRemaining } from "../../bench/suite/progress.ts";
import { oversubscription } from "../../bench/lib/load.ts";
import { mergeLaunches, runLoad } from "../../bench/suite/rounds.ts";
import { ratio, withSpread } from "../../bench/lib/table.ts";
import { formatSuite, nasTable } from "../../bench/suite/table.ts";
import type { PlacementRecord, RunRecord, SuiteDocument } from "../../bench/suite/types.ts";
import { defaultSettings } from "../../bench/suite/sweep.ts";

const nas = (time: number, verified = true): NasResult => ({ kernel: "CG", class: "S", np: 4, time, mops: 100 / time, verified, values: {} });

function placement(transport: string, vms: string[], hosts: string[]): PlacementRecord {
  const matrix = vms.map((a, i) => vms.map((b, j) => (i === j ? "self" : a === b ? "shm" : transport)));
  return { name: "2x2", vms, hosts, matrix };
}

function launch(time: number, extra: Partial<RunRecord> = {}): RunRecord {
  return {
    id: "nas/cg/S/vf/2x2/np4",
    suite: "nas",
    transport: "vf",
    np: 4,
    kernel: "cg",
    class: "S",
    program: "cg.ts",
    args: [],
    placement: placement("vf", ["vm0", "vm1", "vm2", "vm3"], ["h0", "h0", "h1", "h1"]),
    status: "ok",
    seconds: 2,
    nas: nas(time),
    ...extra,
  };
}

describe("merging the launches of one NAS point", () => {
  it("keeps every launch and reports the median one", () => {
    const m = mergeLaunches([launch(3), launch(1), launch(2)]);
    expect(m.nas!.time).toBe(2);
    expect(m.nasRuns!.map((x) => x.time)).toEqual([3, 1, 2]);
    expect(m.seconds).toBe(6);
    expect(m.status).toBe("ok");
  });

  it("is only as good as its worst launch", () => {
    const failed = mergeLaunches([launch(1), launch(2, { status: "failed", reason: "Verification = FAILED", nas: nas(2, false) }), launch(3)]);
    expect(failed.status).toBe("failed");
    expect(failed.reason).toBe("Verification = FAILED (launch 2 of 3)");
    const broken = mergeLaunches([launch(1), launch(2), { ...launch(0), status: "error", reason: "rank 1 died", nas: undefined }]);
    expect(broken.status).toBe("error");
    expect(broken.nasRuns).toHaveLength(2);
  });
});

describe("threads per core", () => {
  it("counts a NIC thread per slurpoe VM and a bridge per bridged host", () => {
    const vms = ["vm0", "vm1", "vm2", "vm3"];
    const hosts = ["h0", "h0", "h1", "h1"];
    expect(runLoad({ np: 4, placement: placement("slurpoe", vms, hosts) }, 2)).toEqual({ ranks: 4, nicThreads: 4, bridges: 0, cores: 2 });
    expect(runLoad({ np: 4, placement: placement("bridged", vms, hosts) }, 2)).toEqual({ ranks: 4, nicThreads: 0, bridges: 2, cores: 2 });
    const oneVm = placement("vf", ["vm0", "vm0"], ["h0", "h0"]);
    expect(runLoad({ np: 2, placement: oneVm }, 2)).toEqual({ ranks: 2, nicThreads: 0, bridges: 0, cores: 2 });
  });

  it("warns only when ranks and NIC threads outnumber the cores", () => {
    expect(oversubscription({ ranks: 2, nicThreads: 0, bridges: 0, cores: 2 })).toBeUndefined();
    expect(oversubscription({ ranks: 2, nicThreads: 2, bridges: 0, cores: 2 })).toBe("2 ranks + 2 NIC threads on 2 cores");
    expect(oversubscription({ ranks: 4, nicThreads: 0, bridges: 2, cores: 2 })).toBe("4 ranks (and 2 bridge processes) on 2 cores");
    expect(oversubscription({ ranks: 4, nicThreads: 0, bridges: 2, cores: 8 })).toBeUndefined();
  });

  it("marks the runs in the table and explains them below it", () => {
    const shm = { ...mergeLaunches([launch(1), launch(1.2), launch(0.8)]), id: "nas/cg/S/shm/1x1/np4", transport: "shm" };
    const vf = mergeLaunches([launch(2), launch(3), launch(2.5)]);
    const doc = {
      kind: "tsmpi-bench-suite",
      settings: defaultSettings(),
      machine: { cpus: 2 },
      load: { before: [1.5, 1, 1], after: [2.25, 1, 1] },
      seconds: 1,
      runs: [
        { ...shm, load: { ranks: 4, nicThreads: 0, bridges: 0, cores: 8 } },
        { ...vf, load: { ranks: 4, nicThreads: 4, bridges: 0, cores: 2 } },
      ],
    } as unknown as SuiteDocument;
    const table = nasTable(doc)!;
    const vfRow = table.split("\n").find((l) => l.includes(" vf "))!;
    expect(vfRow).toContain("2x2*");
    expect(vfRow).toContain("2.500 [2.000–3.000]");
    expect(vfRow).toContain("2.50×");
    const text = formatSuite(doc);
    expect(text).toContain("Load average (1, 5, 15 min) on 2 cores: 1.50 1.00 1.00 before, 2.25 1.00 1.00 after");
    expect(text).toMatch(/WARNING[^\n]*\n[^\n]*scheduler[^\n]*\n {2}nas\/cg\/S\/vf\/2x2\/np4: 4 ranks \+ 4 NIC threads on 2 cores$/m);
    expect(text).not.toContain("nas/cg/S/shm/1x1/np4: 4 ranks");
  });
});

describe("cells", () => {
  it("shows a median with its range, or alone for one sample", () => {
    expect(withSpread(2, 1, 3, 1)).toBe("2.0 [1.0–3.0]");
    expect(withSpread(2, 2, 2, 1)).toBe("2.0");
    expect(withSpread(undefined, 1, 3, 1)).toBeUndefined();
    expect(ratio(3, 2)).toBe("1.50×");
    expect(ratio(30, 2)).toBe("15.0×");
    expect(ratio(3, undefined)).toBeUndefined();
  });
});

describe("progress estimate", () => {
  it("prices each remaining run at the mean of its own kind", () => {
    const done = [
      { kind: "nas", seconds: 2 },
      { kind: "nas", seconds: 4 },
      { kind: "p2p", seconds: 10 },
    ];
    expect(estimateRemaining(done, ["nas", "p2p", "p2p"])).toBe(3 + 10 + 10);
    // A kind not seen yet: the mean of everything finished.
    expect(estimateRemaining(done, ["coll"])).toBeCloseTo(16 / 3);
    // The current run counts with what it has left, never below zero.
    expect(estimateRemaining(done, [], "nas", 1)).toBe(2);
    expect(estimateRemaining(done, [], "nas", 9)).toBe(0);
    expect(estimateRemaining([], ["nas"])).toBeUndefined();
  });

  it("prints minutes and hours as a clock", () => {
    expect(clock(65)).toBe("1:05");
    expect(clock(3723)).toBe("1:02:03");
    expect(clock(-1)).toBe("0:00");
  });
});
