import { describe, expect, it } from "vitest";
import { MpiError } from "../../src/errors.ts";
import { type PlacementMap, validateMap } from "../../src/placement/index.ts";

const good = (): PlacementMap => ({
  version: 1,
  transport: "vf",
  hosts: [
    { name: "h0", vms: [{ name: "a", ranks: [0, 1] }] },
    { name: "h1", vms: [{ name: "b", ranks: [2, 3] }] },
  ],
});

function problem(map: unknown, np: number): string {
  try {
    validateMap(map, np);
  } catch (e) {
    expect(e).toBeInstanceOf(MpiError);
    expect((e as MpiError).code).toBe("ERR_PLACEMENT");
    return (e as MpiError).message;
  }
  throw new Error("the map was accepted");
}

describe("validateMap", () => {
  it("accepts a well-formed map", () => {
    expect(() => validateMap(good(), 4)).not.toThrow();
  });

  it("names a missing rank and how to fix it", () => {
    const m = good();
    m.hosts[1]!.vms[0]!.ranks = [2];
    expect(problem(m, 4)).toMatch(/the map holds 3 ranks but the job has 4: rank\(s\) 3 are in no VM; add them to a VM's "ranks" or run with fewer ranks/);
  });

  it("names a rank placed twice and both places", () => {
    const m = good();
    m.hosts[1]!.vms[0]!.ranks = [1, 2, 3];
    expect(problem(m, 4)).toMatch(/rank 1 is placed twice \(VM "a" and VM "b"\); keep it in one VM/);
  });

  it("rejects an unknown transport, shm across VMs, and lists the choices", () => {
    expect(problem({ ...good(), transport: "carrier-pigeon" }, 4)).toMatch(/unknown transport "carrier-pigeon"; choose one of bridged, vf, slurpoe/);
    expect(problem({ ...good(), transport: "shm" }, 4)).toMatch(/"shm" joins ranks inside one VM only/);
  });

  it("rejects an empty VM and a host without VMs", () => {
    const m = good();
    m.hosts[0]!.vms.push({ name: "c", ranks: [] });
    m.hosts.push({ name: "h2", vms: [] });
    const msg = problem(m, 4);
    expect(msg).toMatch(/VM "c" is empty; put at least one rank in it or remove it/);
    expect(msg).toMatch(/host "h2" has no VMs/);
  });

  it("rejects more ranks than the map holds and ranks beyond the job", () => {
    expect(problem(good(), 6)).toMatch(/the map holds 4 ranks but the job has 6: rank\(s\) 4, 5 are in no VM/);
    expect(problem(good(), 3)).toMatch(/VM "b" lists rank 3, but the job has 3 ranks \(0..2\); remove it or run with -n 4 or more/);
  });

  it("checks overrides: same-VM pairs, unknown VMs, unknown transports", () => {
    const msg = problem(
      {
        ...good(),
        overrides: [
          { ranks: [0, 1], transport: "bridged" },
          { vms: ["a", "zz"], transport: "vf" },
          { ranks: [0, 2], transport: "tcp" },
        ],
      },
      4,
    );
    expect(msg).toMatch(/override #0: ranks 0 and 1 share a VM, where shm is always used/);
    expect(msg).toMatch(/override #1: unknown VM "zz"/);
    expect(msg).toMatch(/override #2: unknown transport "tcp"/);
  });

  it("rejects duplicate VM names and a non-object", () => {
    const m = good();
    m.hosts[1]!.vms[0]!.name = "a";
    expect(problem(m, 4)).toMatch(/VM "a" appears twice/);
    expect(problem(null, 4)).toMatch(/must be a JSON object/);
  });

  it("names the path of every field of the wrong type (null, a number for a name), never a stack trace", () => {
    const msg = problem({ transport: "vf", hosts: [{ name: "h", vms: [null, { name: 7, ranks: [0, "one"] }] }] }, 2);
    expect(msg).toMatch(/"hosts\.0\.vms\.0" must be an object with a name and ranks/);
    expect(msg).toMatch(/"hosts\.0\.vms\.1\.name" must be a string/);
    expect(msg).toMatch(/"hosts\.0\.vms\.1\.ranks\.1" must be a rank number/);
    expect(problem({ transport: "vf", hosts: [], version: 2 }, 1)).toMatch(/"version" must be 1/);
    expect(problem({ transport: "vf", hosts: [{ name: "h", vms: [{ name: "a", ranks: [0, 1] }] }], overrides: [{ ranks: [0] }] }, 2)).toMatch(/"overrides\.0" must be/);
  });
});
