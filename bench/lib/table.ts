/**
 * Plain-text tables for benchmark output: a header row, a rule, then rows;
 * numbers right-aligned so columns of figures can be compared by eye.
 */

export type Cell = string | number | undefined;

export interface Column {
  title: string;
  /** Digits after the point for numeric cells (default 2). */
  digits?: number;
  /** "left" for labels; numbers default to "right". */
  align?: "left" | "right";
}

/** A table before it is drawn: the terminal (formatTable) and the HTML report draw the same data. */
export interface TableData {
  columns: Column[];
  rows: Cell[][];
}

/** Formats one cell: numbers with fixed digits, missing values as "-". */
export function formatCell(value: Cell, digits = 2): string {
  if (value === undefined || (typeof value === "number" && !Number.isFinite(value))) return "-";
  return typeof value === "number" ? value.toFixed(digits) : value;
}

/** Renders rows under the given columns; every line has the same width. */
export function formatTable(columns: readonly Column[], rows: readonly (readonly Cell[])[]): string {
  const text = rows.map((row) => columns.map((c, i) => formatCell(row[i], c.digits)));
  const widths = columns.map((c, i) => Math.max(c.title.length, ...text.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (columns[i]!.align === "left" ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [line(columns.map((c) => c.title)), rule, ...text.map(line)].join("\n");
}

/** "1.23 [1.10–1.52]": a median with the range of its samples (or the median alone when there is one sample). */
export function withSpread(median: number | undefined, min: number | undefined, max: number | undefined, digits: number): string | undefined {
  if (median === undefined || !Number.isFinite(median)) return undefined;
  if (min === undefined || max === undefined || (min === median && max === median)) return median.toFixed(digits);
  return `${median.toFixed(digits)} [${min.toFixed(digits)}–${max.toFixed(digits)}]`;
}

/** "3.1×" (`value` / `base`), or undefined without a base. */
export function ratio(value: number | undefined, base: number | undefined): string | undefined {
  if (value === undefined || base === undefined || !(base > 0) || !Number.isFinite(value)) return undefined;
  const r = value / base;
  return `${r.toFixed(r < 10 ? 2 : 1)}×`;
}

/** A table from titles alone: every column right-aligned, integers as they are, other numbers with 2 decimals. */
export function formatRows(titles: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return formatTable(
    titles.map((title) => ({ title })),
    rows.map((r) => r.map((c) => (typeof c === "number" && Number.isInteger(c) ? String(c) : c))),
  );
}
