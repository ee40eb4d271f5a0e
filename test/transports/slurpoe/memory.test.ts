// Memory registration: keys, rights and bounds, and the registration cache.
import { describe, expect, it } from "vitest";
import { Access, NicLayout } from "../../../transports/slurpoe/layout.ts";
import { MemoryTable, RegistrationCache, resolve } from "../../../transports/slurpoe/memory.ts";
import { layoutFromSettings } from "../../../transports/slurpoe/nic.ts";

function table() {
  const layout = new NicLayout(layoutFromSettings([0], 2, {}));
  const ctl = new Int32Array(layout.controlInts);
  return { layout, ctl, mr: new MemoryTable(ctl, layout, 0) };
}

describe("memory registration", () => {
  it("resolves accesses inside a region and refuses the rest", () => {
    const { layout, ctl, mr } = table();
    const key = mr.register(1000, 100, Access.REMOTE_WRITE, layout.memoryBytes);
    expect(resolve(ctl, layout, 0, key, 0, 100, Access.REMOTE_WRITE)).toBe(1000);
    expect(resolve(ctl, layout, 0, key, 60, 40, Access.REMOTE_WRITE)).toBe(1060);
    expect(resolve(ctl, layout, 0, key, 60, 41, Access.REMOTE_WRITE)).toBe(-1);
    expect(resolve(ctl, layout, 0, key, 100, 1, Access.REMOTE_WRITE)).toBe(-1);
    expect(resolve(ctl, layout, 0, key, 0xffffffff, 2, Access.REMOTE_WRITE)).toBe(-1);
    // Missing right, wrong key, wrong rank's table.
    expect(resolve(ctl, layout, 0, key, 0, 10, Access.REMOTE_READ)).toBe(-1);
    expect(resolve(ctl, layout, 0, key ^ 1, 0, 10, Access.REMOTE_WRITE)).toBe(-1);
    expect(resolve(ctl, layout, 0, 0, 0, 10, Access.REMOTE_WRITE)).toBe(-1);
  });

  it("makes a deregistered key stale, and a new registration in the same slot gets a new key", () => {
    const { layout, ctl, mr } = table();
    const key = mr.register(0, 64, Access.LOCAL_READ, layout.memoryBytes);
    mr.deregister(key);
    expect(resolve(ctl, layout, 0, key, 0, 1, Access.LOCAL_READ)).toBe(-1);
    const again = mr.register(0, 64, Access.LOCAL_READ, layout.memoryBytes);
    expect(again).not.toBe(key);
    expect(again >>> 8).toBe(key >>> 8);
    expect(resolve(ctl, layout, 0, key, 0, 1, Access.LOCAL_READ)).toBe(-1);
    expect(resolve(ctl, layout, 0, again, 0, 1, Access.LOCAL_READ)).toBe(0);
  });

  it("refuses regions outside host memory", () => {
    const { layout, mr } = table();
    expect(() => mr.register(layout.memoryBytes - 10, 11, Access.LOCAL_READ, layout.memoryBytes)).toThrow(/outside host memory/);
  });

  it("caches registrations, paying the cost only on a miss, and evicts the least recently used", () => {
    const { layout, ctl, mr } = table();
    let paid = 0;
    const cache = new RegistrationCache(mr, 2, layout.memoryBytes, () => paid++);
    const a = cache.acquire(0, 4096, Access.LOCAL_READ);
    const b = cache.acquire(4096, 4096, Access.LOCAL_READ);
    expect(cache.acquire(0, 4096, Access.LOCAL_READ)).toBe(a);
    expect(paid).toBe(2);
    expect(cache.hits).toBe(1);
    // b is least recently used now: a third window evicts it.
    cache.acquire(8192, 4096, Access.LOCAL_READ);
    expect(cache.evictions).toBe(1);
    expect(resolve(ctl, layout, 0, b, 0, 1, Access.LOCAL_READ)).toBe(-1);
    expect(resolve(ctl, layout, 0, a, 0, 1, Access.LOCAL_READ)).toBe(0);
    expect(paid).toBe(3);
  });
});
