// NIC profiles and the settings that override them.
import { describe, expect, it } from "vitest";
import { inic10g, interruptUs } from "../../../transports/slurpoe/profiles.ts";
import { doorbellBatchFromSettings, modeFromSettings, profileFromSettings } from "../../../transports/slurpoe/settings.ts";
import { faultsFromSettings } from "../../../transports/slurpoe/wire.ts";

describe("NIC profiles", () => {
  it("defaults to inic-10g in interrupt mode with one request per doorbell", () => {
    expect(profileFromSettings({})).toEqual(inic10g);
    expect(modeFromSettings({})).toBe("interrupt");
    expect(doorbellBatchFromSettings({})).toBe(1);
  });

  it("applies the launcher's sugar keys and any nic.<field>", () => {
    const p = profileFromSettings({
      "nic.profile": "fast-nic",
      "nic.coalesceUs": "8",
      "nic.coalesceFrames": "4",
      "nic.descriptorUs": "1.5",
      "nic.mtu": "1500",
    });
    expect(p.name).toBe("fast-nic");
    expect(p.coalesceUs).toBe(8);
    expect(p.coalesceFrames).toBe(4);
    expect(p.descriptorUs).toBe(1.5);
    expect(p.mtu).toBe(1500);
    expect(p.lineRateGbps).toBe(25);
    expect(modeFromSettings({ "nic.mode": "poll" })).toBe("poll");
    expect(doorbellBatchFromSettings({ "nic.doorbellBatch": "16" })).toBe(16);
  });

  it("charges the virtualized interrupt path unless told the host is native", () => {
    expect(interruptUs(profileFromSettings({}))).toBe(inic10g.interruptVmUs);
    expect(interruptUs(profileFromSettings({ "nic.virtualized": "0" }))).toBe(inic10g.interruptNativeUs);
  });

  it("names what is wrong with a bad setting", () => {
    expect(() => profileFromSettings({ "nic.profile": "nope" })).toThrow(/nic.profile="nope": expected one of inic-10g, .*fast-nic/);
    expect(() => profileFromSettings({ "nic.descriptorUs": "-1" })).toThrow(/nic.descriptorUs="-1": expected a number ≥ 0/);
    expect(() => profileFromSettings({ "nic.mtu": "100" })).toThrow(/nic.mtu="100": expected an integer from 256 to 65000/);
    expect(() => modeFromSettings({ "nic.mode": "spin" })).toThrow(/expected one of interrupt, poll/);
    expect(() => doorbellBatchFromSettings({ "nic.doorbellBatch": "0" })).toThrow(/expected an integer from 1 to 1024/);
    expect(() => faultsFromSettings({ "wire.loss": "1.5" })).toThrow(/wire.loss="1.5": expected a number from 0 to/);
  });

  it("reads wire faults", () => {
    expect(faultsFromSettings({ "wire.loss": "0.1", "wire.dup": "0.05", "wire.reorder": "0.05", "wire.seed": "9" })).toEqual({
      loss: 0.1,
      dup: 0.05,
      reorder: 0.05,
      seed: 9,
    });
  });
});
