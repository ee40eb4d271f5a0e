import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { MpiError } from "../../src/errors.ts";
import { compileProgram, needsCompiling } from "../../src/launcher/compile.ts";

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "tsmpi-compile-"));
  mkdirSync(join(dir, "lib"));
  writeFileSync(join(dir, "lib", "twice.ts"), "export const twice = (x: number): number => x * 2;\n");
  writeFileSync(
    join(dir, "main.ts"),
    'import { twice } from "./lib/twice.ts";\ninterface Box { n: number }\nexport default function main(): number { const b: Box = { n: 21 }; return twice(b.n); }\n',
  );
  return dir;
}

describe("compiling a program once for the whole job", () => {
  it("turns a TypeScript program and its local imports into one module plain Node imports, beside it, and removes it after", async () => {
    const dir = project();
    const c = (await compileProgram(join(dir, "main.ts")))!;
    expect(c.compiled).toBe(true);
    expect(c.path.startsWith(join(dir, ".main.tsmpi-"))).toBe(true);
    const mod = (await import(pathToFileURL(c.path).href)) as { default: () => number };
    expect(mod.default()).toBe(42);
    c.remove();
    expect(existsSync(c.path)).toBe(false);
  });

  it("keeps packages as imports, so the program shares the runtime's copy of tsmpi", async () => {
    const dir = project();
    writeFileSync(join(dir, "uses.ts"), 'import { Op } from "tsmpi";\nexport default () => Op.SUM;\n');
    const c = (await compileProgram(join(dir, "uses.ts")))!;
    expect(readFileSync(c.path, "utf8")).toMatch(/from "tsmpi"/);
    c.remove();
  });

  it("uses a JavaScript program as it is", async () => {
    expect(needsCompiling("/x/a.js")).toBe(false);
    expect(needsCompiling("/x/a.mts")).toBe(true);
    const c = (await compileProgram("/x/a.mjs"))!;
    expect(c).toMatchObject({ path: "/x/a.mjs", compiled: false });
  });

  it("names the file and line of a syntax error", async () => {
    const dir = project();
    writeFileSync(join(dir, "broken.ts"), "export default function main( {\n");
    const e = await compileProgram(join(dir, "broken.ts")).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MpiError);
    expect((e as MpiError).code).toBe("ERR_ARG");
    expect((e as MpiError).message).toMatch(/broken\.ts does not compile: .*broken\.ts:\d+:\d+: /);
  });
});
