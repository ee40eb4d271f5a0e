import { describe, expect, it } from "vitest";
import { formatCell, formatTable } from "../../bench/lib/table.ts";

describe("formatTable", () => {
  it("right-aligns numbers, left-aligns labels, and draws a rule under the header", () => {
    const text = formatTable(
      [
        { title: "size", align: "left" },
        { title: "us", digits: 1 },
      ],
      [
        ["8", 0.25],
        ["1M", 123.456],
      ],
    );
    expect(text.split("\n")).toEqual(["size     us", "----  -----", "8       0.3", "1M    123.5"]);
  });

  it("shows missing and non-finite values as a dash", () => {
    expect(formatCell(undefined)).toBe("-");
    expect(formatCell(Number.NaN)).toBe("-");
    expect(formatCell(Number.POSITIVE_INFINITY)).toBe("-");
    expect(formatCell(2, 0)).toBe("2");
  });

  it("widens a column to its longest cell", () => {
    const lines = formatTable([{ title: "a" }], [["long value"], [1]]).split("\n");
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
    expect(lines[1]).toBe("-".repeat("long value".length));
  });
});
