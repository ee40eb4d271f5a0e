/** tsmpi study end to end on a small grid: the JSON's rows, the HTML's conclusions drawn from them. */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { conclusions } from "../../bench/placement/study/report.ts";
import { runStudy } from "../../bench/placement/study/run.ts";
import type { StudyPoint } from "../../bench/placement/study/types.ts";

const example = fileURLToPath(new URL("../../examples/heavy-groups.ts", import.meta.url));

describe("tsmpi study", () => {
  it("runs the grid in worker processes and reports every strategy under every transport, comm-aware never modelled slower", async () => {
    const out = mkdtempSync(join(tmpdir(), "study-"));
    const { points, failures, files } = await runStudy({
      programs: [{ program: example, args: ["8", "8", "5", "1"] }],
      np: [64],
      vmsPerHost: 4,
      slots: 8,
      strategies: ["block", "cyclic", "random", "comm-aware"],
      transports: ["bridged", "vf", "slurpoe"],
      mappers: ["builtin"],
      jobs: 2,
      out,
    });
    expect(failures).toEqual([]);
    expect(points).toHaveLength(1);
    const json = JSON.parse(readFileSync(files[0]!, "utf8")) as { points: StudyPoint[] };
    const rows = json.points[0]!.rows;
    expect(rows).toHaveLength(3 * 4);
    for (const t of ["bridged", "vf", "slurpoe"]) {
      const mine = rows.filter((r) => r.transport === t);
      const aware = mine.find((r) => r.strategy.startsWith("comm-aware"))!;
      for (const r of mine) expect(aware.estimateSeconds).toBeLessThanOrEqual(r.estimateSeconds);
      expect(aware.bytesInsideVms).toBeGreaterThanOrEqual(0.95);
    }
    const html = readFileSync(files[1]!, "utf8");
    expect(html).toMatch(/<h2>Conclusions<\/h2><ul><li>heavy-groups\.ts 8 8 5 1 on 64 ranks under bridged: comm-aware is modelled at/);
    expect(html).toMatch(/aria-label="heat map"/);
    // Every conclusion's numbers come from the rows: the bridged comm-aware estimate appears as the JSON has it.
    const bridgedAware = rows.find((r) => r.transport === "bridged" && r.strategy.startsWith("comm-aware"))!;
    expect(conclusions(json.points)[0]).toContain(`${(bridgedAware.estimateSeconds * 1e3).toFixed(3)} ms`);
  });
});
