/**
 * Compiled programs kept between jobs, as Python keeps its bytecode: a
 * program compiled once is reused while its sources (the program and the
 * local modules bundled into it) are byte for byte what they were and the
 * runtime, esbuild and Node are the same ones. Importing esbuild and
 * starting its service costs a launch about 0.1 s of CPU time, all of it on
 * the chain before any rank can start.
 *
 * The kept module sits beside the program, as `.NAME.tsmpi-cache.mjs`, so
 * its imports and `import.meta.url` resolve as the program's own would; its
 * last line records what it was built from. It replaces its predecessor by
 * rename, so a job never reads a half-written file, and jobs compiling the
 * same program at once each write a whole one.
 */
import { createHash } from "node:crypto";
import { appendFileSync, readFileSync, renameSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

/** Raise when what a build produces changes without any input changing (the build's options). */
const FORMAT = 1;
const MARK = "//# tsmpi-cache ";

interface Record {
  key: string;
  /** Each source the build read, with the SHA-256 of its bytes. */
  inputs: [string, string][];
}

const digest = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");

/** Where `program`'s compiled module is kept. */
export function cachePath(program: string): string {
  return join(dirname(program), `.${basename(program).replace(/\.[cm]?[jt]sx?$/, "")}.tsmpi-cache.mjs`);
}

/** What else a build depends on: the program's path, where the runtime lives, esbuild's and Node's versions. */
export function cacheKey(program: string, runtime: readonly string[]): string {
  const esbuild = (createRequire(import.meta.url)("esbuild/package.json") as { version: string }).version;
  return digest(JSON.stringify([FORMAT, program, runtime, esbuild, process.versions.node]));
}

/**
 * What a job imports: the kept module's URL, with the digest of its record as
 * the query, so a process that imported an earlier build of the same program
 * (the simulator runs programs in the launcher's own process) gets this one.
 */
function importUrl(path: string, record: string): string {
  return `${pathToFileURL(path).href}?v=${digest(record).slice(0, 16)}`;
}

/** The kept module for `program` (as importUrl) when it is still good, else undefined. */
export function cachedCompile(program: string, key: string): string | undefined {
  const path = cachePath(program);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  const at = text.lastIndexOf(MARK);
  if (at < 0) return undefined;
  const line = text.slice(at + MARK.length).trim();
  let record: Record;
  try {
    record = JSON.parse(line) as Record;
  } catch {
    return undefined;
  }
  if (record.key !== key || !Array.isArray(record.inputs)) return undefined;
  for (const [file, hash] of record.inputs) {
    try {
      if (digest(readFileSync(file)) !== hash) return undefined;
    } catch {
      return undefined;
    }
  }
  return importUrl(path, line);
}

/**
 * Keep the freshly built module `built` (read from `inputs`, absolute paths)
 * as `program`'s: its URL (as importUrl), or undefined when it cannot be kept
 * (the caller then uses `built` for this job only).
 */
export function keepCompile(program: string, key: string, built: string, inputs: readonly string[]): string | undefined {
  try {
    const record: Record = { key, inputs: inputs.map((file) => [file, digest(readFileSync(file))]) };
    const line = JSON.stringify(record);
    appendFileSync(built, `\n${MARK}${line}\n`);
    const path = cachePath(program);
    renameSync(built, path);
    return importUrl(path, line);
  } catch {
    return undefined;
  }
}
