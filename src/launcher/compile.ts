/**
 * A program is compiled once, by the launcher, before any VM starts:
 * esbuild turns it (and the local modules it imports) into one ES module,
 * and every VM process and rank thread imports that file with plain Node —
 * no TypeScript loader in each process, which is what made `-n 4` hello take
 * seconds (a loader compiling the program in every VM, and registering its
 * hooks in every thread).
 *
 * The output sits next to the program, under a hidden name, so that bare
 * imports (the user's own packages) resolve from the same place as the
 * program's own would; they stay imports. "tsmpi" itself is pointed at this
 * runtime's own entry, so the program shares the runtime's one copy (Op.SUM
 * is the same object on both sides) and a program outside any project still
 * finds it. The output is kept for the next job while its sources do not
 * change (compile-cache.ts). Where the program's folder cannot be written,
 * the output goes to the temporary folder with the program's packages
 * bundled in, and is removed when the job ends.
 */
import { randomBytes } from "node:crypto";
import { existsSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve as resolvePath } from "node:path";
import { fileURLToPath } from "node:url";
import { MODULE_EXTENSION } from "../constants.ts";
import { MpiError } from "../errors.ts";
import { cachedCompile, cacheKey, keepCompile } from "./compile-cache.ts";

/** This runtime's own folders (source or dist/): modules there are imported, never bundled into a program. */
const RUNTIME = ["src/", "transports/"].map((d) => fileURLToPath(new URL(`../../${d}`, import.meta.url)));

/** This runtime's package entries, which a program's `import … from "tsmpi"` must reach. */
const ENTRIES: Record<string, string> = {
  tsmpi: fileURLToPath(new URL(`../../index${MODULE_EXTENSION}`, import.meta.url)),
  "tsmpi/launch": fileURLToPath(new URL(`../../launch${MODULE_EXTENSION}`, import.meta.url)),
};

export interface CompiledProgram {
  /** What ranks import: the compiled file's path, or a kept compile's file: URL (compile-cache.ts). */
  path: string;
  /** True when `path` is a file this module wrote. */
  compiled: boolean;
  /** Deletes `path` when it served this job only (kept compiles stay). */
  remove(): void;
}

const TYPESCRIPT = /\.(ts|mts|cts|tsx)$/;

/** True for a program only a TypeScript loader could run as it is. */
export function needsCompiling(program: string): boolean {
  return TYPESCRIPT.test(program);
}

/** Where the compiled program goes: beside it (or in `dir`), hidden, unique to this job. */
export function compiledPath(program: string, dir = dirname(program)): string {
  const name = basename(program).replace(/\.[cm]?[jt]sx?$/, "");
  return join(dir, `.${name}.tsmpi-${process.pid}-${randomBytes(4).toString("hex")}.mjs`);
}

/** ERR_ARG before anything starts when the program file is missing. */
export function checkProgramFile(program: string): void {
  if (!existsSync(program)) throw new MpiError("ERR_ARG", `the program ${program} does not exist; check the path (it is taken from the current folder)`);
  if (!statSync(program).isFile()) throw new MpiError("ERR_ARG", `the program ${program} is not a file; give the path of a .ts or .js module`);
}

/** esbuild's first error as "file:line:column: message". */
function firstError(e: unknown): string {
  const errors = (e as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }).errors;
  const first = errors?.[0];
  if (!first) return e instanceof Error ? e.message : String(e);
  const at = first.location ? `${first.location.file}:${first.location.line}:${first.location.column + 1}: ` : "";
  return `${at}${first.text}`;
}

const notWritable = (text: string): boolean => /EACCES|EROFS|EPERM|permission denied|read-only/i.test(text);

/** Build `program` into `outfile`; the absolute paths of the sources it read. */
async function build(program: string, outfile: string, bundlePackages: boolean): Promise<string[]> {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    entryPoints: [program],
    outfile,
    bundle: true,
    packages: bundlePackages ? undefined : "external",
    platform: "node",
    format: "esm",
    target: `node${process.versions.node.split(".")[0]}`,
    // Stack traces can point at the program's own lines (ranks enable source maps).
    sourcemap: "inline",
    sourcesContent: false,
    logLevel: "silent",
    metafile: true,
    plugins: [
      {
        name: "tsmpi-runtime",
        setup(b) {
          b.onResolve({ filter: /^tsmpi(\/launch)?$/ }, (args) => ({ path: ENTRIES[args.path]!, external: true }));
          // A program that imports tsmpi's own files by path (its tests and benchmarks do) gets them, not a copy.
          b.onResolve({ filter: /^(\.\.?\/|\/)/ }, (args) => {
            const path = resolvePath(args.resolveDir, args.path);
            return RUNTIME.some((r) => path.startsWith(r)) ? { path, external: true } : undefined;
          });
        },
      },
    ],
  });
  return Object.keys(result.metafile.inputs).map((file) => resolvePath(file));
}

/**
 * Compile `program` (an absolute path to a .ts or .js module) once for the
 * whole job. Throws MpiError ERR_ARG, naming the file and line, when it does
 * not compile.
 */
export async function compileProgram(program: string): Promise<CompiledProgram> {
  const key = cacheKey(program, [...RUNTIME, ...Object.values(ENTRIES)]);
  const kept = cachedCompile(program, key);
  if (kept) return { path: kept, compiled: true, remove: () => {} };
  let outfile = compiledPath(program);
  try {
    const inputs = await build(program, outfile, false);
    const path = keepCompile(program, key, outfile, inputs);
    if (path) return { path, compiled: true, remove: () => {} };
  } catch (e) {
    const text = firstError(e);
    if (!notWritable(`${(e as NodeJS.ErrnoException).code ?? ""} ${text}`)) throw new MpiError("ERR_ARG", `${program} does not compile: ${text}`);
    outfile = compiledPath(program, tmpdir());
    try {
      await build(program, outfile, true);
    } catch (again) {
      throw new MpiError("ERR_ARG", `${program} does not compile: ${firstError(again)}`);
    }
  }
  return { path: outfile, compiled: true, remove: () => rmSync(outfile, { force: true }) };
}
