/** The commands as a user types them: tsmpi profile, then tsmpi map, through bin/tsmpi.js. */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { loadProfile } from "../../src/placement/profile.ts";
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

  it("says what is missing", async () => {
    const r = await tsmpi(["map", "--hosts", "2", "--vms-per-host", "4", "--slots", "8", "--strategy", "block", "--out", "/dev/null"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/tsmpi map: --comm is required/);
    const q = await tsmpi(["profile", "-n", "2", example]);
    expect(q.code).toBe(2);
    expect(q.stderr).toMatch(/--out FILE is required/);
  });
});
