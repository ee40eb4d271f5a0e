/** The commands as a user types them: tsmpi profile, then tsmpi map, through bin/tsmpi.js. */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { loadProfile } from "../../src/placement/profile.ts";
import type { MapChoice } from "../../src/placement/map.ts";
import { validateMap } from "../../src/placement/validate.ts";

const bin = fileURLToPath(new URL("../../bin/tsmpi.js", import.meta.url));
const example = fileURLToPath(new URL("../../examples/heavy-groups.ts", import.meta.url));
const run = promisify(execFile);

async function tsmpi(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [bin, ...args]);
    return { code: 0, ...r };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

describe("tsmpi profile and tsmpi map", () => {
  it("profile a program, map it comm-aware, and get a valid map that keeps the groups in VMs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "map-cli-"));
    const comm = join(dir, "comm.json");
    const out = join(dir, "map.json");
    const p = await tsmpi(["profile", "-n", "64", "--engine", "sim", "--out", comm, example, "8", "8", "3", "1"]);
    expect(p.code, p.stderr).toBe(0);
    expect(loadProfile(comm).np).toBe(64);
    const m = await tsmpi([
      "map",
      "--comm",
      comm,
      "--hosts",
      "2",
      "--vms-per-host",
      "4",
      "--slots",
      "8",
      "--transport",
      "bridged",
      "--strategy",
      "comm-aware",
      "--out",
      out,
    ]);
    expect(m.code, m.stderr).toBe(0);
    expect(m.stdout).toMatch(/^comm-aware \(--mapper builtin\): estimate .* bytes inside VMs (9[5-9]|100)\.\d %/m);
    expect(m.stdout).toMatch(/^block: estimate/m);
    expect(m.stdout).toMatch(/^kept: comm-aware/m);
    const map = JSON.parse(readFileSync(out, "utf8"));
    validateMap(map, 64);
    expect(map.transport).toBe("bridged");
  });

  it("--verify simulates every candidate running the program, keeps the fastest and records why in map.json", async () => {
    const dir = mkdtempSync(join(tmpdir(), "map-verify-"));
    const comm = join(dir, "comm.json");
    const out = join(dir, "map.json");
    const args = ["4", "4", "7", "2"];
    const p = await tsmpi(["profile", "-n", "16", "--engine", "sim", "--out", comm, example, ...args]);
    expect(p.code, p.stderr).toBe(0);
    const machine = ["--hosts", "2", "--vms-per-host", "2", "--slots", "4", "--transport", "bridged"];
    const m = await tsmpi(["map", "--comm", comm, ...machine, "--strategy", "comm-aware", "--out", out, "--verify", example, "--", ...args]);
    expect(m.code, m.stderr).toBe(0);
    for (const c of ["comm-aware \\(--mapper builtin\\)", "block", "cyclic", "random:1"])
      expect(m.stdout).toMatch(new RegExp(`^${c}: simulated [\\d.]+ ms, estimate`, "m"));
    const map = JSON.parse(readFileSync(out, "utf8"));
    validateMap(map, 16);
    const chosen = map.chosen as MapChoice;
    expect(chosen.by).toBe("simulation");
    expect(chosen.simulation).toEqual({ program: example, args, model: "xen-bridged", compute: "none" });
    expect(chosen.candidates.map((c) => c.strategy)).toEqual(["comm-aware (builtin)", "block", "cyclic", "random:1"]);
    const times = chosen.candidates.map((c) => c.virtualSeconds!);
    for (const t of times) expect(t).toBeGreaterThan(0);
    const kept = chosen.candidates.find((c) => c.strategy === chosen.kept)!;
    expect(kept.virtualSeconds).toBe(Math.min(...times));
    // Four groups of four ranks on four VMs of four slots: the mapper puts each group in a VM, and the simulation agrees it is fastest.
    expect(chosen.kept).toBe("comm-aware (builtin)");
    expect(kept.bytesInsideVms).toBeGreaterThan(0.9);
    expect(m.stdout).toContain(`kept: comm-aware (${chosen.reason})`);
    // The map still runs: the record is ignored by the launcher.
    const r = await tsmpi(["run", "-n", "16", "--engine", "sim", "--model", "xen-bridged", "--placement", out, example, ...args]);
    expect(r.code, r.stderr).toBe(0);
  });

  it("--verify goes with comm-aware, program arguments with --verify", async () => {
    const base = ["map", "--comm", "/dev/null", "--hosts", "1", "--vms-per-host", "1", "--slots", "1", "--out", "/dev/null"];
    const a = await tsmpi([...base, "--strategy", "block", "--verify", example]);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--verify checks comm-aware's candidates/);
    const b = await tsmpi([...base, "--strategy", "comm-aware", "--", "8"]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/program arguments, --model and --compute go with --verify PROG/);
  });

  it("says what is missing", async () => {
    const r = await tsmpi(["map", "--hosts", "2", "--vms-per-host", "4", "--slots", "8", "--strategy", "block", "--out", "/dev/null"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/tsmpi map: --comm is required/);
    const q = await tsmpi(["profile", "-n", "2", example]);
    expect(q.code).toBe(2);
    expect(q.stderr).toMatch(/--out FILE is required/);
  });
});
