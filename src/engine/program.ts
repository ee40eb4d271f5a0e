/** Loading a user program: an ES module whose default export is `main(world, args)`. */
import { pathToFileURL } from "node:url";
import type { Comm } from "../api/comm.ts";
import { MpiError } from "../errors.ts";

export type MainFunction = (world: Comm, args: string[]) => unknown;

export async function loadProgram(program: string): Promise<MainFunction> {
  const url = program.startsWith("file:") ? program : pathToFileURL(program).href;
  const mod = (await import(url)) as { default?: unknown };
  if (typeof mod.default !== "function") {
    throw new MpiError("ERR_ARG", `${program} has no default export; write \`export default async function main(world, args) { ... }\``);
  }
  return mod.default as MainFunction;
}

/** One rank's outcome, as the launcher reports it. */
export interface RankResult {
  rank: number;
  ok: boolean;
  /** The value main resolved to (when it can be sent between threads). */
  value?: unknown;
  /** What went wrong: the error's message (and code for MpiErrors). */
  error?: string;
  code?: string;
}

export function describeError(e: unknown): { error: string; code?: string } {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return { error: e.stack ?? `${e.name}: ${e.message}`, code: typeof code === "string" ? code : undefined };
  }
  return { error: String(e) };
}
