/**
 * A TypeScript program is compiled once, by the launcher, before any VM
 * starts: esbuild turns it (and the local modules it imports) into one ES
 * module, and every VM process and rank thread imports that file with plain
 * Node — no TypeScript loader in each process, which is what made `-n 4`
 * hello take seconds (a loader compiling the program in every VM, and
 * registering its hooks in every thread).
 *
 * The output sits next to the program, under a hidden name, so that bare
 * imports ("tsmpi", the user's own packages) resolve from the same place as
 * the program's own would: every package stays external, so the program
 * shares the runtime's one copy of tsmpi (Op.SUM is the same object on both
 * sides). It is removed when the job ends.
 */
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { MpiError } from "../errors.ts";

export interface CompiledProgram {
  /** What ranks import: the compiled file, or the program itself when it needs no compiling. */
  path: string;
  /** True when `path` is a file this module wrote (and `remove` deletes). */
  compiled: boolean;
  remove(): void;
}

const TYPESCRIPT = /\.(ts|mts|cts|tsx)$/;

/** True for a program that must be compiled before plain Node can import it. */
export function needsCompiling(program: string): boolean {
  return TYPESCRIPT.test(program);
}

/** Where the compiled program goes: beside it, hidden, unique to this job. */
export function compiledPath(program: string): string {
  const name = basename(program).replace(TYPESCRIPT, "");
  return join(dirname(program), `.${name}.tsmpi-${process.pid}-${randomBytes(4).toString("hex")}.mjs`);
}

/** esbuild's first error as "file:line:column: message". */
function firstError(e: unknown): string {
  const errors = (e as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }).errors;
  const first = errors?.[0];
  if (!first) return e instanceof Error ? e.message : String(e);
  const at = first.location ? `${first.location.file}:${first.location.line}:${first.location.column + 1}: ` : "";
  return `${at}${first.text}`;
}

/**
 * Compile `program` (an absolute path) once for the whole job. A JavaScript
 * program is used as it is. Throws MpiError ERR_ARG, naming the file and
 * line, when the program does not compile; returns undefined when its
 * directory cannot be written (the caller then loads it through a loader).
 */
export async function compileProgram(program: string): Promise<CompiledProgram | undefined> {
  if (!needsCompiling(program)) return { path: program, compiled: false, remove() {} };
  const { build } = await import("esbuild");
  const outfile = compiledPath(program);
  try {
    await build({
      entryPoints: [program],
      outfile,
      bundle: true,
      // Packages (tsmpi first) stay imports: one copy of the runtime, resolved as the program's own imports are.
      packages: "external",
      platform: "node",
      format: "esm",
      target: `node${process.versions.node.split(".")[0]}`,
      // Stack traces can point at the program's own lines (ranks enable source maps).
      sourcemap: "inline",
      sourcesContent: false,
      logLevel: "silent",
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EACCES" || code === "EROFS" || code === "EPERM") return undefined;
    const text = firstError(e);
    if (/EACCES|EROFS|EPERM|permission denied|read-only/i.test(text)) return undefined;
    throw new MpiError("ERR_ARG", `${program} does not compile: ${text}`);
  }
  return {
    path: outfile,
    compiled: true,
    remove: () => rmSync(outfile, { force: true }),
  };
}
