import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../../bin/tsmpi.js", import.meta.url));

describe("tsmpi model validate", () => {
  it("reproduces claims 1, 3, 5, 6, 7, 8, 9 and 11 of domain-model §4 within 15%, as a JSON array", () => {
    const file = join(mkdtempSync(join(tmpdir(), "tsmpi-validate-")), "v.json");
    const r = spawnSync(process.execPath, [bin, "model", "validate", "--json", file], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const rows = JSON.parse(readFileSync(file, "utf8")) as { claim: number; expected: number; modelled: number; ok: boolean; source: string }[];
    expect([...new Set(rows.map((x) => x.claim))]).toEqual([1, 3, 5, 6, 7, 8, 9, 11]);
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(["claim", "expected", "modelled", "ok", "source"]);
      expect(row.ok).toBe(true);
      expect(Math.abs(row.modelled / row.expected - 1)).toBeLessThanOrEqual(0.15);
      expect(row.source).toMatch(/[A-Z]/);
    }
    expect(r.stdout).toMatch(/claim +expected +modelled +ok/);
  });

  it("lists the presets", () => {
    const r = spawnSync(process.execPath, [bin, "model", "list"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    for (const name of ["xen-bridged", "sriov", "sriov-posted", "inic-slurpoe", "native", "host-core-nic", "loggp"]) expect(r.stdout).toContain(name);
  });
});
