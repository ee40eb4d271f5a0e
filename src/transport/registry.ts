/**
 * Transports are plugins: the core loads them by module URL, and this
 * registry names none of them (Open MPI's component search path; nats.js's
 * injected transport factory). The composition roots — `bin/tsmpi.js` and
 * the package entry — register the built-in table (transports/index.ts); a
 * VM process and each rank thread register the table the launcher hands them.
 */
import { MpiError } from "../errors.ts";
import type { Setting } from "../settings/registry.ts";
import type { TransportFactory, TransportModule } from "./contract.ts";
import type { DescribePath } from "./cost.ts";

/** Where a transport may serve a pair of ranks. */
export type TransportRole = "intra-vm" | "inter-vm" | "simulator";

export interface TransportEntry {
  readonly name: string;
  /** URL of the module whose default export is the factory. */
  readonly module: string;
  readonly role: TransportRole;
  /** Its declared `--set` keys (empty where only the table crossed a process boundary). */
  readonly settings: readonly Setting[];
  /** URL of the module exporting `describePath` (its path as stages on resources; src/transport/cost.ts), if it has one. */
  readonly path?: string;
}

/** What crosses process and thread boundaries: names, module URLs and roles. */
export type TransportTable = { name: string; module: string; role: TransportRole }[];

const entries = new Map<string, TransportEntry>();

export function registerTransports(list: readonly TransportEntry[]): void {
  for (const e of list) entries.set(e.name, e);
}

/** Register a table received from the launcher (settings are the launcher's business). */
export function registerTable(table: TransportTable): void {
  for (const e of table) if (!entries.has(e.name)) entries.set(e.name, { ...e, settings: [] });
}

export function transportTable(): TransportTable {
  return [...entries.values()].map(({ name, module, role }) => ({ name, module, role }));
}

export function transportNames(role?: TransportRole): string[] {
  return [...entries.values()].filter((e) => role === undefined || e.role === role).map((e) => e.name);
}

/** Every transport's declared settings. */
export function transportSettings(): Setting[] {
  return [...entries.values()].flatMap((e) => e.settings);
}

export async function loadTransportModule(name: string): Promise<TransportModule> {
  const entry = entries.get(name);
  if (!entry) {
    const known = transportNames();
    throw new MpiError(
      "ERR_ARG",
      known.length === 0
        ? `no transports are registered (import the package entry "tsmpi" or run through bin/tsmpi.js, which register the built-ins)`
        : `unknown transport "${name}"; known: ${known.join(", ")}`,
    );
  }
  const mod = (await import(entry.module)) as Partial<TransportModule>;
  if (typeof mod.default !== "function") throw new MpiError("ERR_INTERNAL", `transport module ${entry.module} has no default factory export`);
  return mod as TransportModule;
}

export async function loadTransport(name: string): Promise<TransportFactory> {
  return (await loadTransportModule(name)).default;
}

/** A transport's path description (the simulator charges it, the mapper weighs it). */
export async function loadPath(name: string): Promise<DescribePath> {
  const entry = entries.get(name);
  if (!entry?.path) {
    const known = [...entries.values()].filter((e) => e.path).map((e) => e.name);
    throw new MpiError("ERR_ARG", `transport "${name}" describes no path for the simulator; transports with one: ${known.join(", ")}`);
  }
  const mod = (await import(entry.path)) as { describePath?: DescribePath };
  if (typeof mod.describePath !== "function") throw new MpiError("ERR_INTERNAL", `${entry.path} has no describePath export`);
  return mod.describePath;
}
