import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, vi } from "vitest";
import { MpiError } from "../../src/errors.ts";
import { main } from "../../src/launcher/cli.ts";
import { launch } from "../../src/launcher/launch.ts";
import { placementFromFlags } from "../../src/launcher/flags.ts";
import { flagSettings, settingsFromFlags } from "../../src/launcher/settings.ts";
import { ResolvedPlacement } from "../../src/placement/index.ts";

const smoke = fileURLToPath(new URL("./programs/smoke.ts", import.meta.url));

describe("placement flags", () => {
  it("build a map from --hosts/--vms-per-host/--map-by/--transport with per-pair overrides", () => {
    const map = placementFromFlags(
      { hosts: "2", "vms-per-host": "2", "map-by": "cyclic", transport: "bridged", pair: ["0,1=vf"], "vm-pair": ["vm0,vm3=vf"] },
      8,
    )!;
    const m = ResolvedPlacement.fromMap(map, 8).matrix();
    expect(m[0]![4]).toBe("shm");
    expect(m[0]![2]).toBe("bridged");
    expect(m[0]![1]).toBe("vf");
    // vm0 = ranks 0,4; vm3 = ranks 3,7 under cyclic.
    expect(m[4]![7]).toBe("vf");
  });

  it("--transport alone gives one rank per VM; nothing gives no map", () => {
    const map = placementFromFlags({ transport: "vf" }, 3)!;
    expect(map.hosts[0]!.vms.map((v) => v.ranks)).toEqual([[0], [1], [2]]);
    expect(placementFromFlags({}, 3)).toBeUndefined();
  });

  it("loads --placement FILE, lets --transport replace its default, and reports bad files as ERR_PLACEMENT", () => {
    const dir = mkdtempSync(join(tmpdir(), "tsmpi-placement-"));
    const file = join(dir, "map.json");
    writeFileSync(
      file,
      JSON.stringify({
        transport: "vf",
        hosts: [
          {
            name: "h",
            vms: [
              { name: "a", ranks: [0] },
              { name: "b", ranks: [1] },
            ],
          },
        ],
      }),
    );
    expect(placementFromFlags({ placement: file, transport: "bridged" }, 2)!.transport).toBe("bridged");
    writeFileSync(file, "{ not json");
    expect(() => placementFromFlags({ placement: file }, 2)).toThrow(/not valid JSON/);
    expect(() => placementFromFlags({ placement: file, hosts: "2" }, 2)).toThrow(/drop --hosts/);
    expect(() => placementFromFlags({ pair: ["0,1=vf"] }, 2)).toThrow(MpiError);
  });

  it("maps the SLURPoE sugar flags given to the settings the transport reads, and only those", () => {
    expect(settingsFromFlags({ nic: "fast-nic", "nic-mode": "poll", "coalesce-us": "20", "wire-loss": "0.01", seed: "7", hosts: "2" })).toEqual({
      "nic.profile": "fast-nic",
      "nic.mode": "poll",
      "nic.coalesceUs": "20",
      "wire.loss": "0.01",
      "wire.seed": "7",
    });
    expect(settingsFromFlags({})).toEqual({});
    // Every flag the owners declare reaches a setting of the NIC, the wire, the job (--bind-to, --deadlock-after), the simulator or the trace.
    const keys = flagSettings().map((f) => f.key);
    expect(keys).toContain("nic.doorbellBatch");
    expect(keys).toContain("job.deadlockAfter");
    expect(keys).toEqual(expect.arrayContaining(["sim.model", "sim.compute", "sim.computeScale", "trace.file"]));
    for (const key of keys) expect(key).toMatch(/^(nic|wire|job|sim|trace)\./);
    expect(settingsFromFlags({ model: "sriov", compute: "none", trace: "t.json" })).toEqual({ "sim.model": "sriov", "sim.compute": "none", "trace.file": "t.json" });
  });
});

describe("cli", () => {
  it("--print-map without a program prints the grid and the matrix and exits 0", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      expect(await main(["run", "-n", "8", "--hosts", "2", "--vms-per-host", "2", "--transport", "bridged", "--print-map"])).toBe(0);
      const text = log.mock.calls.map((c) => String(c[0])).join("\n");
      expect(text).toContain("host1\n    vm2      ranks 4 5");
      expect(text).toContain("pairs: shm 8, bridged 48");
    } finally {
      log.mockRestore();
    }
  });

  it("rejects an invalid map before anything starts, exit code 2, saying what to fix", async () => {
    const err = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      expect(await main(["run", "-n", "3", "--hosts", "2", "--vms-per-host", "2", smoke])).toBe(2);
      expect(String(err.mock.calls[0]![0])).toMatch(/ERR_PLACEMENT: --hosts 2 --vms-per-host 2 makes 4 VMs but -n 3/);
    } finally {
      err.mockRestore();
    }
    const started: number[] = [];
    await expect(
      launch({
        np: 4,
        program: smoke,
        placement: { transport: "vf", hosts: [{ name: "h", vms: [{ name: "a", ranks: [0, 1, 2] }] }] },
        onProcess: (p) => started.push(p.pid),
      }),
    ).rejects.toThrow(/rank\(s\) 3 are in no VM/);
    expect(started).toEqual([]);
  });

  it("runs a job with --stats and --manifest: map, matrix, versions, settings and counters in the JSON", { timeout: 30_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsmpi-manifest-"));
    const file = join(dir, "run.json");
    const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    let code: number;
    try {
      code = await main(["run", "-n", "4", "--hosts", "2", "--transport", "bridged", "--stats", "--wire-loss", "0.01", "--manifest", file, smoke]);
    } finally {
      err.mockRestore();
      out.mockRestore();
    }
    expect(code).toBe(0);
    const m = JSON.parse(readFileSync(file, "utf8"));
    expect(m.placement.matrix[0][2]).toBe("bridged");
    expect(m.placement.matrix[0][1]).toBe("shm");
    expect(m.settings).toEqual({ "wire.loss": "0.01" });
    expect(m.versions.node).toBe(process.versions.node);
    expect(m.result.ok).toBe(true);
    expect(m.stats.ranks["0"].bridged.framesSent).toBeGreaterThan(0);
    expect(m.stats.processes["bridge host0"].framesOut).toBeGreaterThan(0);
  });
});
