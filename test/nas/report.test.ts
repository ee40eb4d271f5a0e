// The report: rank 0 prints it, the RESULT line round-trips, and a failed
// verification prints FAILED and throws (so the job exits non-zero).
import { describe, expect, it } from "vitest";
import { finish, type ReportInput } from "../../bench/nas/common/report.ts";

const input = (verified: boolean): ReportInput => ({
  kernel: "CG",
  class: "W",
  np: 2,
  time: 0.5,
  mops: 1234.5,
  verified,
  values: { zeta: 10.362595087124 },
  size: "7000",
  iterations: 15,
  activeProcesses: 2,
  details: ["zeta = 10.362595087124"],
});

describe("NAS report", () => {
  it("prints the NPB fields and a RESULT line on rank 0", () => {
    const lines: string[] = [];
    const r = finish(0, input(true), (l) => lines.push(l));
    expect(lines.some((l) => /Time in seconds =\s+0\.5000$/.test(l))).toBe(true);
    expect(lines.some((l) => /Mop\/s total\s+=\s+1234\.50$/.test(l))).toBe(true);
    expect(lines.some((l) => /Mop\/s\/process\s+=\s+617\.25$/.test(l))).toBe(true);
    expect(lines.some((l) => l.includes("Verification    =               SUCCESSFUL"))).toBe(true);
    const last = lines[lines.length - 1]!;
    expect(JSON.parse(last.slice("RESULT ".length))).toEqual(r);
    expect(r).toEqual({ kernel: "CG", class: "W", np: 2, time: 0.5, mops: 1234.5, verified: true, values: { zeta: 10.362595087124 } });
  });

  it("prints nothing on other ranks", () => {
    const lines: string[] = [];
    finish(1, input(true), (l) => lines.push(l));
    expect(lines).toEqual([]);
  });

  it("prints FAILED and throws when verification fails", () => {
    const lines: string[] = [];
    expect(() => finish(0, input(false), (l) => lines.push(l))).toThrow(/verification FAILED/);
    expect(lines.some((l) => /Verification\s+=\s+FAILED$/.test(l))).toBe(true);
    expect(lines[lines.length - 1]).toContain('"verified":false');
  });
});
