import { describe, expect, it } from "vitest";
import { ownCopy } from "../../src/coll/values.ts";

describe("ownCopy", () => {
  it("copies Maps, Sets and Dates as themselves, detached from the caller's", () => {
    const m = new Map([["a", 1]]);
    const cm = ownCopy(m);
    expect(cm).toBeInstanceOf(Map);
    expect(cm).toEqual(m);
    cm.set("b", 2);
    expect(m.has("b")).toBe(false);

    const s = new Set([1]);
    const cs = ownCopy(s);
    expect(cs).toBeInstanceOf(Set);
    cs.add(2);
    expect(s.has(2)).toBe(false);

    const d = new Date(7);
    const cd = ownCopy(d);
    expect(cd).toBeInstanceOf(Date);
    cd.setTime(9);
    expect(d.getTime()).toBe(7);
  });

  it("keeps a class instance's prototype (its methods) and copies its fields", () => {
    class Tally {
      count = 1;
      twice(): number {
        return this.count * 2;
      }
    }
    const t = new Tally();
    const c = ownCopy(t);
    expect(c).toBeInstanceOf(Tally);
    expect(c.twice()).toBe(2);
    c.count = 5;
    expect(t.count).toBe(1);
  });

  it("copies { value, index } pairs, arrays and typed arrays, and passes primitives through", () => {
    const p = { value: 1, index: 0 };
    const cp = ownCopy(p);
    cp.value = 3;
    expect(p.value).toBe(1);
    const f = new Float64Array([1, 2]);
    const cf = ownCopy(f);
    cf[0] = 9;
    expect(f[0]).toBe(1);
    expect(ownCopy(5)).toBe(5);
    expect(ownCopy(null)).toBe(null);
  });
});
