import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { MpiError } from "../../src/errors.ts";
import { Op } from "../../src/coll/op.ts";
import { checkProgramFile, compileProgram, needsCompiling } from "../../src/launcher/compile.ts";

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
  it("turns a TypeScript program and its local imports into one module plain Node imports, kept beside it", async () => {
    const dir = project();
    const c = await compileProgram(join(dir, "main.ts"));
    expect(c.compiled).toBe(true);
    expect(fileURLToPath(c.path)).toBe(join(dir, ".main.tsmpi-cache.mjs"));
    const mod = (await import(c.path)) as { default: () => number };
    expect(mod.default()).toBe(42);
    c.remove();
    expect(existsSync(fileURLToPath(c.path))).toBe(true);
  });

  it("reuses the kept module while every source is unchanged, and rebuilds when one changes", async () => {
    const dir = project();
    const first = await compileProgram(join(dir, "main.ts"));
    const built = statSync(fileURLToPath(first.path)).mtimeMs;
    const again = await compileProgram(join(dir, "main.ts"));
    expect(again.path).toBe(first.path);
    expect(statSync(fileURLToPath(again.path)).mtimeMs).toBe(built);
    expect(((await import(first.path)) as { default: () => number }).default()).toBe(42);
    // A local import changes, not the program: the next job sees it (and so does this process, which imported the old one).
    writeFileSync(join(dir, "lib", "twice.ts"), "export const twice = (x: number): number => x * 3;\n");
    const changed = await compileProgram(join(dir, "main.ts"));
    expect(changed.path).not.toBe(first.path);
    expect(((await import(changed.path)) as { default: () => number }).default()).toBe(63);
  });

  it("points tsmpi at this runtime's own entry (one copy, found from anywhere) and keeps other packages as imports", async () => {
    const dir = project();
    writeFileSync(join(dir, "uses.ts"), 'import { Op } from "tsmpi";\nimport { Packr } from "msgpackr";\nexport default () => [Op.SUM, Packr];\n');
    const c = await compileProgram(join(dir, "uses.ts"));
    const text = readFileSync(fileURLToPath(c.path), "utf8");
    expect(text).toContain(`from "${fileURLToPath(new URL("../../index.ts", import.meta.url))}"`);
    expect(text).toMatch(/from "msgpackr"/);
    const mod = (await import(c.path)) as { default: () => unknown[] };
    expect(mod.default()[0]).toBe(Op.SUM);
    c.remove();
  });

  it("compiles JavaScript programs too (one module, tsmpi resolved the same way)", async () => {
    expect(needsCompiling("/x/a.js")).toBe(false);
    expect(needsCompiling("/x/a.mts")).toBe(true);
    const dir = project();
    writeFileSync(join(dir, "plain.mjs"), 'import { twice } from "./lib/twice.ts";\nexport default () => twice(2);\n');
    const c = await compileProgram(join(dir, "plain.mjs"));
    expect(((await import(c.path)) as { default: () => number }).default()).toBe(4);
    c.remove();
  });

  it("refuses a missing program before anything starts", () => {
    expect(() => checkProgramFile("/no/such/program.ts")).toThrow(/the program \/no\/such\/program\.ts does not exist/);
    expect(() => checkProgramFile(tmpdir())).toThrow(/is not a file/);
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

describe("programs that import tsmpi's own files by path", () => {
  it("import them rather than bundling a second copy", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsmpi-compile-"));
    const op = fileURLToPath(new URL("../../src/coll/op.ts", import.meta.url));
    writeFileSync(join(dir, "inner.ts"), `import { Op } from ${JSON.stringify(op)};\nexport default () => Op.SUM;\n`);
    const c = await compileProgram(join(dir, "inner.ts"));
    expect(readFileSync(fileURLToPath(c.path), "utf8")).toContain(`from "${op}"`);
    expect(((await import(c.path)) as { default: () => unknown }).default()).toBe(Op.SUM);
    c.remove();
  });
});
