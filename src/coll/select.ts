/**
 * Which algorithm a collective call uses. In order: the call site's option
 * (`{ algorithm }`), the job setting `coll.<collective>` (`--coll
 * allreduce=ring`), the rules file named by the setting `coll.rules`, then
 * the built-in rules (src/coll/rules.json). A rules file holds, per
 * collective, a list of rules; the first whose ranges all match wins, as in
 * Open MPI's tuned dynamic rules.
 */
import { readFileSync } from "node:fs";
import type { Channel } from "./channel.ts";
import { memoOf } from "./memo.ts";
import { MpiError } from "../errors.ts";

/**
 * Every algorithm, per collective; each is reachable through the override.
 * "sm" is the shared-memory one (src/coll/shared): usable when every member
 * shares this VM's segment, else (and for values too big for its slots) the
 * rules are read again without it.
 */
export const ALGORITHMS = {
  barrier: ["dissemination", "tree", "linear", "hierarchical", "sm"],
  bcast: ["binomial", "scatter_allgather", "pipeline", "linear", "hierarchical", "sm"],
  reduce: ["binomial", "linear", "sm"],
  allreduce: ["recursive_doubling", "linear", "ring", "rabenseifner", "reduce_bcast", "hierarchical", "sm"],
  scan: ["recursive_doubling", "linear"],
  exscan: ["recursive_doubling", "linear"],
  gather: ["binomial", "linear", "sm"],
  scatter: ["binomial", "linear", "sm"],
  allgather: ["recursive_doubling", "bruck", "ring", "linear", "sm"],
  alltoall: ["linear", "pairwise", "bruck", "sm"],
  reduceScatter: ["reduce_scatter", "pairwise"],
} as const;

export type Collective = keyof typeof ALGORITHMS;

/** Per-call options every collective accepts. */
export interface CollectiveOptions {
  /** Force an algorithm for this call (every rank must pass the same). */
  algorithm?: string;
}

type Range = [number | null, number | null];

export interface Rule {
  commSize?: Range;
  vms?: Range;
  bytes?: Range;
  commutative?: boolean;
  algorithm: string;
}

export type RuleTable = Partial<Record<Collective, Rule[]>>;

/** What a rule can match on. */
export interface CallFacts {
  commSize: number;
  vms: number;
  bytes: number;
  commutative: boolean;
}

const cache = new Map<string, RuleTable>();

function loadRules(path: string | URL): RuleTable {
  const key = String(path);
  let t = cache.get(key);
  if (!t) {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (e) {
      throw new MpiError("ERR_ARG", `collective rules file ${key} cannot be read (${(e as Error).message}); fix the path given as coll.rules`);
    }
    try {
      t = JSON.parse(text) as RuleTable;
    } catch (e) {
      throw new MpiError("ERR_ARG", `collective rules file ${key} is not valid JSON (${(e as Error).message})`);
    }
    for (const [name, rules] of Object.entries(t)) {
      if (name.startsWith("$")) continue;
      if (!(name in ALGORITHMS) || !Array.isArray(rules)) {
        throw new MpiError("ERR_ARG", `collective rules file ${key}: "${name}" is not a collective with a list of rules`);
      }
      for (const r of rules) checkAlgorithm(name as Collective, r.algorithm, `rules file ${key}`);
    }
    cache.set(key, t);
  }
  return t;
}

const builtin = new URL("./rules.json", import.meta.url);

function checkAlgorithm(collective: Collective, algorithm: string, where: string): void {
  if (!(ALGORITHMS[collective] as readonly string[]).includes(algorithm)) {
    throw new MpiError("ERR_ARG", `${where}: "${algorithm}" is not an algorithm of ${collective}; use one of ${ALGORITHMS[collective].join(", ")}`);
  }
}

function inRange(r: Range | undefined, v: number): boolean {
  if (!r) return true;
  return (r[0] === null || v >= r[0]) && (r[1] === null || v <= r[1]);
}

/** The shared-memory algorithm, which the rules may name; fallbacks read the rules without it. */
export const SHARED = "sm";

function firstMatch(rules: Rule[] | undefined, f: CallFacts, skipShared: boolean): string | undefined {
  if (!rules) return undefined;
  for (const r of rules) {
    if (
      !(skipShared && r.algorithm === SHARED) &&
      inRange(r.commSize, f.commSize) &&
      inRange(r.vms, f.vms) &&
      inRange(r.bytes, f.bytes) &&
      (r.commutative === undefined || r.commutative === f.commutative)
    ) {
      return r.algorithm;
    }
  }
  return undefined;
}

/** Each collective's place in the memo's lists. */
const INDEX = Object.fromEntries(Object.keys(ALGORITHMS).map((c, i) => [c, i])) as Record<Collective, number>;

/** The algorithm forced for this call, if any (call option, then job setting). */
export function forced(comm: Channel, collective: Collective, options: CollectiveOptions | undefined): string | undefined {
  const asked = options?.algorithm;
  if (asked !== undefined) {
    checkAlgorithm(collective, asked, `${collective} option`);
    return asked;
  }
  const memo = memoOf(comm);
  const i = INDEX[collective];
  let a = memo.forced[i];
  if (a === undefined) {
    a = comm.settings[`coll.${collective}`] ?? null;
    if (a !== null) checkAlgorithm(collective, a, `setting coll.${collective}`);
    memo.forced[i] = a;
  }
  return a ?? undefined;
}

/**
 * The algorithm the rules pick on this communicator for a message of
 * `bytes` (passing over "sm" with `skipShared`). Remembered per
 * communicator, keyed by numbers: a small collective must not pay for
 * reading the rules, nor allocate, on every call (with more ranks than cores
 * every rank's CPU time adds up to the collective's latency). Bounded:
 * programs use few sizes.
 */
export function rule(comm: Channel, collective: Collective, bytes: number, commutative: boolean, skipShared = false): string {
  const rules = memoOf(comm).rules;
  const i = INDEX[collective];
  let memo = rules[i];
  if (memo === undefined) rules[i] = memo = new Map();
  const key = bytes * 4 + (commutative ? 1 : 0) + (skipShared ? 2 : 0);
  let a = memo.get(key);
  if (a === undefined) {
    a = fromRules(comm, collective, { commSize: comm.size, vms: vmCount(comm), bytes, commutative }, skipShared);
    if (memo.size < RULE_MEMO_ENTRIES) memo.set(key, a);
  }
  return a;
}

/** The algorithm the rules pick for these facts (passing over "sm" with `skipShared`); `rule` remembers it for a communicator's own. */
export function fromRules(comm: Channel, collective: Collective, facts: CallFacts, skipShared = false): string {
  const path = comm.settings["coll.rules"];
  const user = path ? firstMatch(loadRules(path)[collective], facts, skipShared) : undefined;
  return user ?? firstMatch(loadRules(builtin)[collective], facts, skipShared) ?? ALGORITHMS[collective][0];
}

const RULE_MEMO_ENTRIES = 1024;

/** Pick: forced, else rules. */
export function choose(comm: Channel, collective: Collective, options: CollectiveOptions | undefined, bytes: number, commutative: boolean): string {
  return forced(comm, collective, options) ?? rule(comm, collective, bytes, commutative);
}

/**
 * True when the rules could pick different algorithms for different message
 * sizes on this communicator: then ranks must agree on the size before
 * choosing, or a rank passing a wrong-sized value would run another schedule
 * and wait forever.
 */
export function dependsOnSize(comm: Channel, collective: Collective, commutative: boolean, skipShared = false): boolean {
  let memo = sizeMemo.get(comm);
  if (!memo) sizeMemo.set(comm, (memo = new Map()));
  // Two bits per (commutative, skipShared): known, and the answer.
  const bit = 2 * ((commutative ? 1 : 0) + (skipShared ? 2 : 0));
  let known = memo.get(collective) ?? 0;
  if ((known & (1 << bit)) === 0) {
    known |= (1 << bit) | (computeDependsOnSize(comm, collective, commutative, skipShared) ? 2 << bit : 0);
    memo.set(collective, known);
  }
  return (known & (2 << bit)) !== 0;
}

const sizeMemo = new WeakMap<Channel, Map<Collective, number>>();

function computeDependsOnSize(comm: Channel, collective: Collective, commutative: boolean, skipShared: boolean): boolean {
  const probes = [0, 1, 8, 64, 1024, 2048, 4096, 8192, 16384, 65536, 131072, 262144, 1 << 20, 1 << 22, 1 << 30];
  const first = rule(comm, collective, 0, commutative, skipShared);
  const extra: number[] = [];
  const path = comm.settings["coll.rules"];
  for (const t of path ? [loadRules(path), loadRules(builtin)] : [loadRules(builtin)]) {
    for (const r of t[collective] ?? []) for (const b of r.bytes ?? []) if (b !== null) extra.push(b, b + 1, Math.max(0, b - 1));
  }
  return [...probes, ...extra].some((bytes) => rule(comm, collective, bytes, commutative, skipShared) !== first);
}

const vmCounts = new WeakMap<Channel, number>();

/** Distinct VMs among the communicator's members (from the placement). */
export function vmCount(comm: Channel): number {
  let n = vmCounts.get(comm);
  if (n === undefined) {
    const seen = new Set<string>();
    for (let r = 0; r < comm.size; r++) seen.add(vmKey(comm, r));
    n = seen.size;
    vmCounts.set(comm, n);
  }
  return n;
}

/** A VM's identity: its host and name (VM names need only be unique per host). */
export function vmKey(comm: Channel, r: number): string {
  const p = comm.placement.of(r);
  return `${p.host}\u0000${p.vm}`;
}
