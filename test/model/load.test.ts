import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadModel, presetNames } from "../../src/model/load.ts";
import { MECHANISMS } from "../../src/transport/cost.ts";

describe("choosing a model", () => {
  it("has the presets the issue names, every number with a source", () => {
    expect(presetNames()).toEqual(["host-core-nic", "inic-slurpoe", "native", "sriov", "sriov-posted", "xen-bridged"]);
    for (const name of presetNames()) {
      const m = loadModel(name);
      if (m.kind !== "stages") throw new Error("preset is not a stage model");
      expect(m.name).toBe(name);
      for (const [mech, entry] of Object.entries(m.preset.mechanisms)) {
        expect(mech in MECHANISMS).toBe(true);
        expect(entry!.source.length).toBeGreaterThan(10);
        // A source is a paper or a named estimate, never a file in this repository.
        expect(entry!.source).not.toMatch(/\/work\/|\.ts\b|\.json\b|\.md\b/);
      }
    }
  });

  it("parses loggp specs", () => {
    const m = loadModel("loggp:L=10e-6,o=1e-6,g=0,G=1e-9");
    expect(m.kind).toBe("loggp");
    if (m.kind === "loggp") expect(m.params.L).toBe(10e-6);
  });

  it("loads a calibration file and applies overrides", () => {
    const dir = mkdtempSync(join(tmpdir(), "tsmpi-model-"));
    const file = join(dir, "local.json");
    writeFileSync(file, JSON.stringify({ name: "local", description: "test", mechanisms: { "cpu.send": { value: 2e-6, source: "measured here" } } }));
    const m = loadModel(file, { "cpu.receive": 3e-6 });
    if (m.kind !== "stages") throw new Error("not a stage model");
    expect(m.cost.value("cpu.send")).toBe(2e-6);
    expect(m.cost.value("cpu.receive")).toBe(3e-6);
    expect(() => m.cost.value("bridge.frame")).toThrow(/ERR_ARG.*model local has no number for mechanism "bridge.frame"/);
  });

  it("refuses unknown names, bad files and unknown mechanisms with the fix", () => {
    expect(() => loadModel("no-such-model")).toThrow(/no such preset or file; presets: host-core-nic/);
    const dir = mkdtempSync(join(tmpdir(), "tsmpi-model-"));
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ name: "bad", description: "", mechanisms: { "warp.drive": { value: 1, source: "x" } } }));
    expect(() => loadModel(bad)).toThrow(/not a valid model/);
    writeFileSync(bad, JSON.stringify({ name: "bad", description: "", mechanisms: { "cpu.send": { value: -1, source: "x" } } }));
    expect(() => loadModel(bad)).toThrow(/ERR_ARG.*mechanisms.cpu.send.value/);
    writeFileSync(bad, "{ not json");
    expect(() => loadModel(bad)).toThrow(/cannot read .* as JSON/);
    expect(() => loadModel("sriov", { "warp.drive": 1 })).toThrow(/"warp.drive" is not a mechanism/);
  });
});
