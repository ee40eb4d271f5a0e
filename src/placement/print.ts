/**
 * `--print-map`: the resolved map as a host/VM grid, then the per-pair
 * transport matrix (row = sender, column = receiver), so a user sees at a
 * glance who talks over what.
 */
import type { PlacementTable } from "./resolved.ts";

const SHORT: Record<string, string> = { shm: "s", vf: "V", bridged: "B", slurpoe: "P", memory: "m" };

export function formatMap(table: PlacementTable): string {
  const n = table.hosts.length;
  const lines: string[] = [];
  const grid = new Map<string, Map<string, number[]>>();
  for (let r = 0; r < n; r++) {
    let h = grid.get(table.hosts[r]!);
    if (!h) grid.set(table.hosts[r]!, (h = new Map()));
    let v = h.get(table.vms[r]!);
    if (!v) h.set(table.vms[r]!, (v = []));
    v.push(r);
  }
  const byName = (a: [string, unknown], b: [string, unknown]): number => a[0].localeCompare(b[0], undefined, { numeric: true });
  lines.push(`placement: ${n} ranks, ${grid.size} host(s), ${[...grid.values()].reduce((s, h) => s + h.size, 0)} VM(s)`);
  for (const [host, vms] of [...grid].sort(byName)) {
    lines.push(`  ${host}`);
    for (const [vm, ranks] of [...vms].sort(byName)) lines.push(`    ${vm.padEnd(8)} ranks ${ranks.join(" ")}`);
  }
  const wide = n <= 16;
  const name = (a: number, b: number): string => (a === b ? "." : table.transports[table.pairs[a * n + b]!]!);
  const cell = (a: number, b: number): string => (wide ? name(a, b) : (SHORT[name(a, b)] ?? name(a, b)[0]!));
  const w = Math.max(String(n - 1).length, wide ? Math.max(...table.transports.map((t) => t.length)) : 1) + 1;
  lines.push("transport per pair (row sends to column):");
  lines.push(`${"".padStart(6)}${Array.from({ length: n }, (_, b) => String(b).padStart(w)).join("")}`);
  for (let a = 0; a < n; a++) lines.push(`${String(a).padStart(5)} ${Array.from({ length: n }, (_, b) => cell(a, b).padStart(w)).join("")}`);
  if (!wide) lines.push(`  legend: . self, ${table.transports.map((t) => `${SHORT[t] ?? t[0]} ${t}`).join(", ")}`);
  const counts = new Map<string, number>();
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) if (a !== b) counts.set(name(a, b), (counts.get(name(a, b)) ?? 0) + 1);
  lines.push(`pairs: ${[...counts].map(([t, c]) => `${t} ${c}`).join(", ")}`);
  return lines.join("\n");
}
