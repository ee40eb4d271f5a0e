/**
 * Turning the placement and transport flags of `tsmpi run` into a validated
 * map and settings: `--hosts --vms-per-host --map-by`, `--placement FILE`,
 * `--transport`, `--pair a,b=T`, `--vm-pair A,B=T`. (Flags that set a
 * setting are declared with the setting: see settings.ts.)
 */
import { readFileSync } from "node:fs";
import { MpiError } from "../errors.ts";
import type { PlacementMap } from "../placement/map.ts";
import { generateMap, parseMapBy } from "../placement/strategies.ts";
import { validateMap } from "../placement/validate.ts";

export interface PlacementFlags {
  hosts?: string;
  "vms-per-host"?: string;
  "map-by"?: string;
  placement?: string;
  transport?: string;
  pair?: string[];
  "vm-pair"?: string[];
}

function positive(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new MpiError("ERR_PLACEMENT", `${flag} needs a positive integer, got ${v}`);
  return n;
}

/**
 * The map the flags describe, or undefined (every rank in one VM). Throws
 * ERR_PLACEMENT naming the flag or map entry to fix.
 */
export function placementFromFlags(f: PlacementFlags, np: number): PlacementMap | undefined {
  let map: PlacementMap | undefined;
  const hosts = positive("--hosts", f.hosts);
  const vmsPerHost = positive("--vms-per-host", f["vms-per-host"]);
  if (f.placement !== undefined) {
    if (hosts !== undefined || vmsPerHost !== undefined || f["map-by"] !== undefined)
      throw new MpiError("ERR_PLACEMENT", "--placement FILE gives the whole map; drop --hosts, --vms-per-host and --map-by");
    let text: string;
    try {
      text = readFileSync(f.placement, "utf8");
    } catch (e) {
      throw new MpiError("ERR_PLACEMENT", `--placement ${f.placement}: cannot read it (${(e as Error).message})`);
    }
    try {
      map = JSON.parse(text) as PlacementMap;
    } catch (e) {
      throw new MpiError("ERR_PLACEMENT", `--placement ${f.placement}: not valid JSON (${(e as Error).message})`);
    }
    if (f.transport !== undefined && typeof map === "object" && map !== null) map = { ...map, transport: f.transport };
  } else if (hosts !== undefined || vmsPerHost !== undefined || f["map-by"] !== undefined || f.transport !== undefined) {
    // --transport alone: one rank per VM, so the chosen transport is what joins them.
    const h = hosts ?? 1;
    const v = vmsPerHost ?? (hosts === undefined && f["map-by"] === undefined ? np : 1);
    map = generateMap({ np, hosts: h, vmsPerHost: v, mapBy: parseMapBy(f["map-by"] ?? "block"), transport: f.transport ?? "vf" });
  }
  const pairs = [...(f.pair ?? []), ...(f["vm-pair"] ?? [])];
  if (pairs.length > 0 && !map) throw new MpiError("ERR_PLACEMENT", "--pair/--vm-pair need a map with several VMs: add --hosts/--vms-per-host or --placement");
  if (map) {
    const overrides = [...(map.overrides ?? [])];
    for (const p of f.pair ?? []) {
      const m = /^(\d+),(\d+)=(\w+)$/.exec(p);
      if (!m) throw new MpiError("ERR_PLACEMENT", `--pair ${p}: write it as a,b=transport (e.g. --pair 0,5=bridged)`);
      overrides.push({ ranks: [Number(m[1]), Number(m[2])], transport: m[3]! });
    }
    for (const p of f["vm-pair"] ?? []) {
      const m = /^([^,=]+),([^,=]+)=(\w+)$/.exec(p);
      if (!m) throw new MpiError("ERR_PLACEMENT", `--vm-pair ${p}: write it as vmA,vmB=transport (e.g. --vm-pair vm0,vm3=vf)`);
      overrides.push({ vms: [m[1]!, m[2]!], transport: m[3]! });
    }
    if (overrides.length > 0) map = { ...map, overrides };
    validateMap(map, np);
  }
  return map;
}

/** Options end at the program path: everything after it belongs to the program. */
export function splitAtProgram(args: string[], valueFlags: readonly string[]): { own: string[]; program?: string; programArgs: string[] } {
  const takesValue = new Set(valueFlags);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (takesValue.has(a)) {
      i++;
      continue;
    }
    if (a.startsWith("-")) continue;
    return { own: args.slice(0, i), program: a, programArgs: args.slice(i + 1) };
  }
  return { own: args, programArgs: [] };
}

/** `--set k=v` lists into settings (with a key prefix, for `--coll`). */
export function keyValues(list: string[] | undefined, flag: string, into: Record<string, string>, prefix = ""): void {
  for (const kv of list ?? []) {
    const eq = kv.indexOf("=");
    if (eq <= 0) throw new MpiError("ERR_ARG", `${flag} needs key=value, got ${kv}`);
    into[`${prefix}${kv.slice(0, eq)}`] = kv.slice(eq + 1);
  }
}
