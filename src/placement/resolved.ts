/**
 * The one resolved placement: where every world rank sits (host, VM) and which
 * transport joins each pair. It is plain data (`PlacementTable`) so it crosses
 * process and thread boundaries, wrapped in a small class for lookups. The
 * engines, the communicators, printing and manifests all read this one type.
 */
import { transportNames } from "../transport/registry.ts";
import type { PlacementMap } from "./map.ts";
import { validateMap } from "./validate.ts";

export interface PlacementTable {
  hosts: string[];
  vms: string[];
  /** Distinct transport names; `pairs[a * size + b]` indexes into it. */
  transports: string[];
  pairs: Uint8Array;
}

export class ResolvedPlacement {
  readonly table: PlacementTable;
  readonly size: number;

  constructor(table: PlacementTable) {
    this.table = table;
    this.size = table.hosts.length;
  }

  of(worldRank: number): { host: string; vm: string } {
    return { host: this.table.hosts[worldRank]!, vm: this.table.vms[worldRank]! };
  }

  /** Transport name used between two world ranks ("self" for a rank and itself, "shm" inside a VM). */
  transportBetween(a: number, b: number): string {
    if (a === b) return "self";
    const t = this.table;
    return t.transports[t.pairs[a * this.size + b]!]!;
  }

  /** Everyone in one VM on one host, talking over `transport` (shared memory unless told otherwise). */
  static singleVm(size: number, transport = "shm"): ResolvedPlacement {
    return ResolvedPlacement.fromPairs(
      Array.from({ length: size }, () => "host0"),
      Array.from({ length: size }, () => "vm0"),
      () => transport,
    );
  }

  /** Per-rank host and VM names and a function naming each pair's transport. */
  static fromPairs(hosts: readonly string[], vms: readonly string[], pair: (a: number, b: number) => string): ResolvedPlacement {
    const size = hosts.length;
    const transports: string[] = [];
    const pairs = new Uint8Array(size * size);
    for (let a = 0; a < size; a++)
      for (let b = 0; b < size; b++) {
        if (a === b) continue;
        const name = pair(a, b);
        let i = transports.indexOf(name);
        if (i < 0) i = transports.push(name) - 1;
        pairs[a * size + b] = i;
      }
    if (transports.length === 0) transports.push("shm");
    return new ResolvedPlacement({ hosts: [...hosts], vms: [...vms], transports, pairs });
  }

  /** Resolve a validated placement map for `np` ranks. Later overrides win over earlier ones. */
  static fromMap(map: PlacementMap, np: number, known: readonly string[] = transportNames("inter-vm")): ResolvedPlacement {
    validateMap(map, np, known);
    const hosts = new Array<string>(np);
    const vms = new Array<string>(np);
    for (const h of map.hosts)
      for (const vm of h.vms)
        for (const r of vm.ranks) {
          hosts[r] = h.name;
          vms[r] = vm.name;
        }
    const transports = ["shm"];
    const index = (name: string): number => {
      let i = transports.indexOf(name);
      if (i < 0) i = transports.push(name) - 1;
      return i;
    };
    const pairs = new Uint8Array(np * np);
    const inter = index(map.transport);
    for (let a = 0; a < np; a++) for (let b = 0; b < np; b++) pairs[a * np + b] = vms[a] === vms[b] ? 0 : inter;
    for (const o of map.overrides ?? []) {
      const t = index(o.transport);
      if ("ranks" in o) {
        const [a, b] = o.ranks;
        pairs[a * np + b] = t;
        pairs[b * np + a] = t;
      } else {
        const [va, vb] = o.vms;
        for (let a = 0; a < np; a++)
          for (let b = 0; b < np; b++) if ((vms[a] === va && vms[b] === vb) || (vms[a] === vb && vms[b] === va)) pairs[a * np + b] = t;
      }
    }
    return new ResolvedPlacement({ hosts, vms, transports, pairs });
  }

  /** The transport name between every pair, as rows (for manifests); "self" on the diagonal. */
  matrix(): string[][] {
    return Array.from({ length: this.size }, (_, a) => Array.from({ length: this.size }, (_, b) => this.transportBetween(a, b)));
  }
}
