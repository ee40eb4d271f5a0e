import { describe, expect, it } from "vitest";
import { LogGOPSCharger, LOGGOPSIM_DEFAULT_S, messageSeconds, parseLogGP } from "../../src/model/loggp.ts";

describe("the LogGOPS model", () => {
  it("parses the --model spec with defaults for O and S", () => {
    expect(parseLogGP("loggp:L=10e-6,o=1e-6,g=0,G=1e-9")).toEqual({ L: 10e-6, o: 1e-6, g: 0, G: 1e-9, O: 0, S: LOGGOPSIM_DEFAULT_S });
    expect(parseLogGP("loggp:L=1,o=2,g=3,G=4,O=5,S=100")).toEqual({ L: 1, o: 2, g: 3, G: 4, O: 5, S: 100 });
  });

  it("refuses unknown keys, missing ones and bad numbers with ERR_ARG naming the fix", () => {
    expect(() => parseLogGP("loggp:L=1,o=1,g=0")).toThrow(/G is missing.*--model loggp:/);
    expect(() => parseLogGP("loggp:L=1,o=1,g=0,G=0,x=3")).toThrow(/ERR_ARG.*"x=3" is not one of/);
    expect(() => parseLogGP("loggp:L=-1,o=1,g=0,G=0")).toThrow(/L=-1 must be a non-negative number/);
  });

  it("a lone message costs o + L + (s-1)G + o", () => {
    const p = parseLogGP("loggp:L=10e-6,o=1e-6,g=0,G=1e-9");
    const c = new LogGOPSCharger(p);
    const arrival = c.send(0, 5, 8);
    expect(arrival).toBeCloseTo(5 + 1e-6 + 10e-6, 15);
    expect(c.receive(1, arrival, 8) - 5).toBeCloseTo(2e-6 + 10e-6 + 7e-9, 15);
    expect(messageSeconds(p, 8)).toBeCloseTo(2e-6 + 10e-6 + 7e-9, 15);
  });

  it("a ping-pong's half round trip is 2o + L + (s-1)G every time", () => {
    const p = parseLogGP("loggp:L=10e-6,o=1e-6,g=0,G=1e-9");
    const c = new LogGOPSCharger(p);
    let t = 0;
    for (let i = 0; i < 100; i++) {
      const [a, b] = i % 2 === 0 ? [0, 1] : [1, 0];
      t = c.receive(b, c.send(a, t, 8), 8);
    }
    expect(t / 100).toBeCloseTo(2e-6 + 10e-6 + 7e-9, 12);
  });

  it("back-to-back sends are spaced by the gap g and by G per byte on the NIC", () => {
    const c = new LogGOPSCharger(parseLogGP("loggp:L=0,o=1,g=5,G=2"));
    const first = c.send(0, 0, 3); // NIC busy g + 2G = 9
    const second = c.send(0, 0, 3);
    expect(first).toBe(1);
    expect(second).toBe(9 + 1);
  });

  it("a receiver busy with one message starts the next when its CPU is free", () => {
    const c = new LogGOPSCharger(parseLogGP("loggp:L=0,o=1,g=0,G=0,O=2"));
    const done1 = c.receive(1, 0, 3); // CPU o + 2·O = 5
    const done2 = c.receive(1, 0, 3);
    expect(done1).toBe(5);
    expect(done2).toBe(10);
  });
});
