/** A plain-text table: header, rule, rows; numbers right-aligned with up to 2 decimals. */
export function formatRows(titles: string[], rows: (string | number)[][]): string {
  const text = rows.map((r) => r.map((c) => (typeof c === "number" ? (Number.isInteger(c) ? String(c) : c.toFixed(2)) : c)));
  const widths = titles.map((t, i) => Math.max(t.length, ...text.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i]!)).join("  ");
  return [line(titles), widths.map((w) => "-".repeat(w)).join("  "), ...text.map(line)].join("\n");
}
