/**
 * The path descriptions a simulation needs, loaded once from the registry
 * (each transport's path.ts): the simulator's `memory` wire and a rank's
 * loopback stand for the shared-memory path.
 */
import type { DescribePath } from "../../transport/cost.ts";
import { loadPath } from "../../transport/registry.ts";

export async function loadPaths(transports: Iterable<string>): Promise<(transport: string) => DescribePath> {
  const loaded = new Map<string, DescribePath>();
  for (const name of new Set([...transports].map(pathOf))) loaded.set(name, await loadPath(name));
  return (transport) => loaded.get(pathOf(transport))!;
}

const pathOf = (transport: string): string => (transport === "memory" || transport === "self" ? "shm" : transport);
