/**
 * A process nobody launched: one process, rank 0 of 1, its store in memory
 * (MPI's singleton init). Abort has no launcher to tell; the caller exits.
 */
import { hostname } from "node:os";
import { mpiError } from "../errors.ts";
import type { JobBootstrap } from "./job.ts";

export function singletonJob(host: string = hostname()): JobBootstrap {
  const published = new Map<string, string>();
  const pending = new Map<string, string>();
  return {
    kind: "singleton",
    size: 1,
    rank: 0,
    host,
    hosts: async () => [host],
    put: async (key, value) => {
      pending.set(key, value);
    },
    fence: async () => {
      for (const [k, v] of pending) published.set(k, v);
      pending.clear();
    },
    get: async (key) => {
      const v = published.get(key);
      if (v === undefined) throw mpiError("ERR_ARG", 0, "get", `no process put ${JSON.stringify(key)} before the last fence`, "put the key and fence before getting it");
      return v;
    },
    abort: async (code, message) => {
      process.stderr.write(`tsmpi: rank 0 aborts (exit code ${code}): ${message}\n`);
    },
    finalize: async () => {},
  };
}
