/**
 * Where the simulator finds each transport's path description: the
 * `describePath` export of transports/<name>/path.ts, loaded by module URL
 * like the transports themselves, so src/ names no transport.
 */
import { MpiError } from "../../errors.ts";
import type { DescribePath } from "../../transport/cost.ts";

const modules = new Map<string, string>(
  ["shm", "bridged", "vf", "slurpoe"].map((name) => [name, new URL(`../../../transports/${name}/path.ts`, import.meta.url).href]),
);

/** Add or replace a transport's path module (its `describePath` export). */
export function registerPath(transport: string, moduleUrl: string): void {
  modules.set(transport, moduleUrl);
}

/** Loads the path descriptions of `transports`; the result answers by transport name. */
export async function loadPaths(transports: Iterable<string>): Promise<(transport: string) => DescribePath> {
  const loaded = new Map<string, DescribePath>();
  for (const name of new Set(transports)) {
    const url = modules.get(name);
    if (!url) continue;
    const mod = (await import(url)) as { describePath?: DescribePath };
    if (typeof mod.describePath !== "function") throw new MpiError("ERR_INTERNAL", `${url} has no describePath export`);
    loaded.set(name, mod.describePath);
  }
  return (transport) => {
    const d = loaded.get(transport);
    if (!d) {
      throw new MpiError(
        "ERR_ARG",
        `the simulator has no path description for transport "${transport}"; known: ${[...modules.keys()].join(", ")} (a transport gives one in its path.ts)`,
      );
    }
    return d;
  };
}
