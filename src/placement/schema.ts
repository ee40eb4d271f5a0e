/**
 * The shape of a placement map (docs/placement.md) as a valibot schema: what
 * types every field has. validate.ts runs it first, so a map with a `null`
 * where a VM should be, or a name that is a number, fails with the path of
 * each wrong field instead of a stack trace; the semantic checks (every rank
 * exactly once, known transports, overrides naming real VMs) follow.
 */
import * as v from "valibot";

const Name = v.string("must be a string (a name)");
const Rank = v.pipe(v.number("must be a rank number"), v.integer("must be a whole rank number"));
const Vm = v.object({ name: Name, ranks: v.array(Rank, "must be a list of rank numbers") }, "must be an object with a name and ranks");
const Host = v.object({ name: Name, vms: v.array(Vm, "must be a list of VMs") }, "must be an object with a name and vms");
const Override = v.union(
  [
    v.object({ ranks: v.tuple([Rank, Rank], "must be two ranks"), transport: Name }),
    v.object({ vms: v.tuple([Name, Name], "must be two VM names"), transport: Name }),
  ],
  'must be { "ranks": [a, b], "transport" } or { "vms": ["vmA", "vmB"], "transport" }',
);

const Seconds = v.pipe(v.number("must be a number of seconds"), v.minValue(0));
const Candidate = v.object({
  strategy: Name,
  estimateSeconds: Seconds,
  virtualSeconds: v.optional(Seconds),
  bytesInsideVms: v.number(),
  bytesInsideHosts: v.number(),
});
const Choice = v.object({
  kept: Name,
  by: v.picklist(["simulation", "model"], 'must be "simulation" or "model"'),
  reason: v.string(),
  simulation: v.optional(v.object({ program: Name, args: v.array(Name), model: Name, compute: Name })),
  candidates: v.array(Candidate, "must be a list of candidates"),
});

export const PlacementMapSchema = v.object(
  {
    version: v.optional(v.literal(1, "must be 1 (the only version) or left out")),
    transport: Name,
    hosts: v.array(Host, 'must be a list of { "name", "vms" }'),
    overrides: v.optional(v.array(Override, "must be a list of overrides")),
    chosen: v.optional(Choice),
  },
  'the placement map must be a JSON object with "transport" and "hosts" (see docs/placement.md)',
);

/** The shape problems of `map`, each as `path: what is wrong` (empty when the shape is right). */
export function shapeProblems(map: unknown): string[] {
  const r = v.safeParse(PlacementMapSchema, map);
  if (r.success) return [];
  return r.issues.map((i) => {
    const path = v.getDotPath(i);
    return path ? `"${path}" ${i.message}` : i.message;
  });
}
