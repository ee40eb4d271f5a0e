/**
 * Loads the single-copy helper (transports/shm/native/single-copy.c, built by
 * `npm install` through node-gyp). Ranks of one VM are threads of one
 * process, so a receiver can copy straight out of the sender's buffer given
 * its address — one copy instead of two through a ring, as Open MPI's
 * shared-memory transport does with CMA or XPMEM. Without a C compiler the
 * addon is missing and shm falls back to pipelined fragments (and waiting
 * ranks do not yield their core between polls).
 */
import { createRequire } from "node:module";
import { MODULE_EXTENSION } from "../../src/constants.ts";

export interface SingleCopy {
  address(view: Uint8Array): bigint;
  copyFrom(address: bigint, into: Uint8Array): void;
  /** sched_yield(): let another runnable thread have this core. */
  yieldCpu(): void;
}

function load(): SingleCopy | undefined {
  if (process.env.TSMPI_SHM_SINGLE_COPY === "0") return undefined;
  try {
    const require = createRequire(import.meta.url);
    // The addon is built into the package's build/: two folders up from the source, three from dist/.
    return require(`${MODULE_EXTENSION === ".ts" ? "../.." : "../../.."}/build/Release/single_copy.node`) as SingleCopy;
  } catch {
    return undefined;
  }
}

export const singleCopy: SingleCopy | undefined = load();
