/**
 * Checking a placement map before anything starts. Every problem found is
 * listed, each with what to change, in one MpiError("ERR_PLACEMENT").
 */
import { MpiError } from "../errors.ts";
import { transportNames } from "../transport/registry.ts";
import type { PlacementMap } from "./map.ts";
import { shapeProblems } from "./schema.ts";

function isRank(x: unknown): x is number {
  return typeof x === "number" && Number.isInteger(x);
}

function ranges(list: number[]): string {
  return list.length > 8 ? `${list.slice(0, 8).join(", ")}, … (${list.length} in all)` : list.join(", ");
}

/**
 * Validate `map` for a job of `np` ranks; `known` lists the transports that
 * may join VMs. Throws ERR_PLACEMENT naming every problem and its fix.
 */
export function validateMap(map: unknown, np: number, known: readonly string[] = transportNames("inter-vm")): asserts map is PlacementMap {
  const shape = shapeProblems(map);
  if (shape.length > 0) throw new MpiError("ERR_PLACEMENT", `invalid placement map: ${shape.join("; ")}`);
  const problems: string[] = [];
  const m = map as PlacementMap;
  const checkTransport = (t: unknown, where: string): void => {
    if (t === "shm") problems.push(`${where}: "shm" joins ranks inside one VM only; choose one of ${known.join(", ")}`);
    else if (typeof t !== "string" || !known.includes(t)) problems.push(`${where}: unknown transport ${JSON.stringify(t)}; choose one of ${known.join(", ")}`);
  };
  checkTransport(m.transport, '"transport"');
  const seenAt = new Map<number, string>();
  const vmNames = new Set<string>();
  const hostNames = new Set<string>();
  if (!Array.isArray(m.hosts) || m.hosts.length === 0) problems.push('"hosts" must be a non-empty list of { "name", "vms" }');
  else
    m.hosts.forEach((h, hi) => {
      const hostName = typeof h?.name === "string" && h.name.length > 0 ? h.name : undefined;
      if (!hostName) problems.push(`host #${hi} has no "name"; give it a non-empty name`);
      else if (hostNames.has(hostName)) problems.push(`host "${hostName}" appears twice; rename one`);
      else hostNames.add(hostName);
      if (!Array.isArray(h?.vms) || h.vms.length === 0) {
        problems.push(`host "${hostName ?? hi}" has no VMs; give it at least one VM or remove it`);
        return;
      }
      h.vms.forEach((vm, vi) => {
        const vmName = typeof vm?.name === "string" && vm.name.length > 0 ? vm.name : undefined;
        const label = vmName ? `VM "${vmName}"` : `VM #${vi} of host "${hostName ?? hi}"`;
        if (!vmName) problems.push(`${label} has no "name"; give it a non-empty name`);
        else if (vmNames.has(vmName)) problems.push(`VM "${vmName}" appears twice; VM names must be unique across hosts`);
        else vmNames.add(vmName);
        if (!Array.isArray(vm?.ranks) || vm.ranks.length === 0) {
          problems.push(`${label} is empty; put at least one rank in it or remove it`);
          return;
        }
        for (const r of vm.ranks) {
          if (!isRank(r) || r < 0) problems.push(`${label} lists ${JSON.stringify(r)}, which is not a rank; ranks are integers from 0`);
          else if (r >= np) problems.push(`${label} lists rank ${r}, but the job has ${np} ranks (0..${np - 1}); remove it or run with -n ${r + 1} or more`);
          else if (seenAt.has(r)) problems.push(`rank ${r} is placed twice (${seenAt.get(r)} and ${label}); keep it in one VM`);
          else seenAt.set(r, label);
        }
      });
    });
  const missing: number[] = [];
  for (let r = 0; r < np; r++) if (!seenAt.has(r)) missing.push(r);
  if (missing.length > 0 && Array.isArray(m.hosts) && m.hosts.length > 0) {
    const holds = seenAt.size;
    problems.push(
      holds < np
        ? `the map holds ${holds} ranks but the job has ${np}: rank(s) ${ranges(missing)} are in no VM; add them to a VM's "ranks" or run with fewer ranks`
        : `rank(s) ${ranges(missing)} are in no VM; add them to a VM's "ranks"`,
    );
  }
  const vmOf = new Map<number, string>();
  for (const [r, label] of seenAt) vmOf.set(r, label);
  (m.overrides ?? []).forEach((o, i) => {
    const where = `override #${i}`;
    checkTransport((o as { transport?: unknown }).transport, where);
    if ("ranks" in o) {
      const [a, b] = o.ranks ?? [];
      if (!isRank(a) || !isRank(b) || a < 0 || b < 0 || a >= np || b >= np) problems.push(`${where}: "ranks" must be two ranks in 0..${np - 1}`);
      else if (vmOf.get(a) !== undefined && vmOf.get(a) === vmOf.get(b))
        problems.push(`${where}: ranks ${a} and ${b} share a VM, where shm is always used; remove the override`);
    } else if ("vms" in o) {
      const [a, b] = o.vms ?? [];
      for (const v of [a, b])
        if (typeof v !== "string" || !vmNames.has(v)) problems.push(`${where}: unknown VM ${JSON.stringify(v)}; use a VM name from "hosts"`);
      if (a === b) problems.push(`${where}: a VM talks to itself over shm; name two different VMs`);
    } else problems.push(`${where}: give either "ranks": [a, b] or "vms": ["vmA", "vmB"]`);
  });
  if (problems.length > 0) throw new MpiError("ERR_PLACEMENT", `invalid placement map: ${problems.join("; ")}`);
}
