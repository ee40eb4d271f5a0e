import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkSettings, formatSettings, jobSettings } from "../../src/launcher/settings.ts";
import { booleanSetting, choiceSetting, integerSetting, nearest, numberSetting, SettingsRegistry } from "../../src/settings/registry.ts";

describe("settings declarations", () => {
  const ring = integerSetting({ key: "t.ringBytes", owner: "t", default: 4096, min: 1024, max: 1 << 20, unit: "bytes", doc: "ring size" });

  it("parse strictly: integers, numbers, booleans, choices", () => {
    expect(ring.parse("2048")).toBe(2048);
    for (const bad of ["", " 2048", "2048x", "0x800", "1e400", "2048.5", "abc", "512", String(1 << 21)])
      expect(() => ring.parse(bad)).toThrow(/ERR_SETTING: setting t.ringBytes/);
    const rate = numberSetting({ key: "t.rate", owner: "t", min: 0, doc: "r" });
    expect(rate.parse("0.25")).toBe(0.25);
    expect(rate.parse("1e-6")).toBe(1e-6);
    expect(() => rate.parse("NaN")).toThrow(/expected a number ≥ 0/);
    expect(() => rate.parse("Infinity")).toThrow(/expected a number/);
    expect(booleanSetting({ key: "t.b", owner: "t", doc: "b" }).parse("false")).toBe(false);
    expect(() => choiceSetting({ key: "t.c", owner: "t", choices: ["a", "b"], doc: "c" }).parse("z")).toThrow(/expected one of a, b/);
  });

  it("an integer setting accepts exactly the decimal integers in its range", () => {
    fc.assert(
      fc.property(fc.integer({ min: -(1 << 22), max: 1 << 22 }), (n) => {
        const ok = n >= 1024 && n <= 1 << 20;
        if (ok) expect(ring.parse(String(n))).toBe(n);
        else expect(() => ring.parse(String(n))).toThrow(/ERR_SETTING/);
      }),
    );
  });

  it("read gives the default when unset, the parsed value when set", () => {
    expect(ring.read({})).toBe(4096);
    expect(ring.read({ "t.ringBytes": "8192" })).toBe(8192);
    expect(ring.given({})).toBeUndefined();
  });

  it("a registry refuses unknown keys naming the nearest known one", () => {
    const r = new SettingsRegistry();
    r.declare([ring]);
    expect(() => r.validate({ "t.ringbytes": "1" })).toThrow(/unknown setting "t.ringbytes"; did you mean "t.ringBytes"\?/);
    expect(() => r.validate({ "zz.nothing": "1" })).toThrow(/unknown setting "zz.nothing" \(/);
    expect(() => r.declare([integerSetting({ key: "t.ringBytes", owner: "u", doc: "again" })])).toThrow(/declared twice/);
    expect(nearest("shm.ringbytes", ["shm.ringBytes", "shm.singleCopy"])).toBe("shm.ringBytes");
  });
});

describe("the job's settings (collectives and registered transports)", () => {
  it("declares every key the built-in owners read", () => {
    const keys = jobSettings()
      .all()
      .map((s) => s.key);
    for (const k of [
      "shm.ringBytes",
      "shm.singleCopy",
      "vf.eagerLimit",
      "bridged.queueBytes",
      "nic.coalesceUs",
      "nic.profile",
      "wire.loss",
      "slurpoe.sendDepth",
      "coll.allreduce",
      "coll.rules",
    ])
      expect(keys).toContain(k);
  });

  it("checks a whole set: typo and bad type are errors, good values pass", () => {
    expect(() => checkSettings({ "shm.ringbytes": "1" })).toThrow(/did you mean "shm.ringBytes"/);
    expect(() => checkSettings({ "nic.coalesceUs": "abc" })).toThrow(/nic.coalesceUs="abc": expected a number ≥ 0 \(µs\)/);
    expect(() => checkSettings({ "coll.allreduce": "fastest" })).toThrow(/expected one of recursive_doubling/);
    expect(() => checkSettings({ "bridged.queueBytes": "abc" })).toThrow(/bridged.queueBytes/);
    expect(() => checkSettings({ "shm.ringBytes": "1048576", "nic.mode": "poll", "coll.allreduce": "ring" })).not.toThrow();
  });

  it("tsmpi settings lists every key with owner, default, unit and doc", () => {
    const text = formatSettings();
    for (const s of jobSettings().all()) expect(text).toContain(s.key);
    expect(text).toMatch(/\[shm\]\n {2}shm.ringBytes = 2 MiB up to 4 ranks per VM.* bytes {3}<integer>/);
    expect(text).toMatch(/nic.doorbellBatch = 1 {3}<integer> {2}\(flag --doorbell-batch\)/);
  });
});
