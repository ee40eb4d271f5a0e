/**
 * The layer rules (.dependency-cruiser.cjs) hold for the tree (`npm run
 * layers` checks that), and they bite: a tree that breaks one fails the check
 * naming the rule.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = new URL("../../", import.meta.url).pathname;
const cruise = join(root, "node_modules/.bin/depcruise");
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Run the project's rules over a small tree of `files` (path → source); returns exit status and output. */
function check(files: Record<string, string>): { status: number; out: string } {
  const dir = mkdtempSync(join(tmpdir(), "tsmpi-layers-"));
  dirs.push(dir);
  copyFileSync(join(root, ".dependency-cruiser.cjs"), join(dir, ".dependency-cruiser.cjs"));
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { allowImportingTsExtensions: true, module: "NodeNext", noEmit: true } }));
  for (const d of ["src", "transports", "bench"]) mkdirSync(join(dir, d), { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  try {
    const out = execFileSync(cruise, ["--config", ".dependency-cruiser.cjs", "src", "transports", "bench"], { cwd: dir, encoding: "utf8", stdio: "pipe" });
    return { status: 0, out };
  } catch (e) {
    const x = e as { status: number; stdout: string; stderr: string };
    return { status: x.status, out: x.stdout + x.stderr };
  }
}

describe("layer rules", () => {
  it("pass a tree whose imports point down", () => {
    const r = check({
      "src/errors.ts": "export const E = 1;\n",
      "src/core/rank-core.ts": 'import { E } from "../errors.ts";\nexport const C = E;\n',
      "src/api/comm.ts": 'import { C } from "../core/rank-core.ts";\nexport const A = C;\n',
      "transports/shm/index.ts": 'import { E } from "../../src/errors.ts";\nexport const T = E;\n',
    });
    expect(r.out).toMatch(/no dependency violations/);
    expect(r.status).toBe(0);
  });

  it.each([
    [
      "core imports api",
      { "src/api/comm.ts": "export const A = 1;\n", "src/core/rank-core.ts": 'import { A } from "../api/comm.ts";\nexport const C = A;\n' },
      "core-below-everything",
    ],
    [
      "src imports a transport",
      { "transports/shm/index.ts": "export const T = 1;\n", "src/engine/rank.ts": 'import { T } from "../../transports/shm/index.ts";\nexport const R = T;\n' },
      "src-not-transports",
    ],
    [
      "src imports bench",
      { "bench/suite/start.ts": "export const B = 1;\n", "src/launcher/cli.ts": 'import { B } from "../../bench/suite/start.ts";\nexport const L = B;\n' },
      "src-not-bench",
    ],
    [
      "collectives import Comm",
      { "src/api/comm.ts": "export const A = 1;\n", "src/coll/bcast.ts": 'import { A } from "../api/comm.ts";\nexport const B = A;\n' },
      "coll-over-channel",
    ],
    [
      "a transport imports the core",
      { "src/core/frames.ts": "export const F = 1;\n", "transports/vf/index.ts": 'import { F } from "../../src/core/frames.ts";\nexport const V = F;\n' },
      "transports-only-ground",
    ],
    [
      "an engine imports the launcher",
      { "src/launcher/lines.ts": "export const L = 1;\n", "src/engine/live/vm.ts": 'import { L } from "../../launcher/lines.ts";\nexport const V = L;\n' },
      "engine-below-launcher",
    ],
    [
      "two modules import each other",
      { "bench/a.ts": 'import { B } from "./b.ts";\nexport const A = () => B;\n', "bench/b.ts": 'import { A } from "./a.ts";\nexport const B = () => A;\n' },
      "no-circular",
    ],
  ])("fail when %s", (_what, files, rule) => {
    const r = check(files as Record<string, string>);
    expect(r.status).not.toBe(0);
    expect(r.out).toContain(`error ${rule}`);
  });
});
