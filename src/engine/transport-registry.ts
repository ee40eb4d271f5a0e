/**
 * Transports are plugins: the core loads them by module path, so src/ never
 * imports transports/ (Open MPI's component search path; nats.js's injected
 * transport factory). Each module's default export is a TransportFactory.
 */
import { MpiError } from "../api/errors.ts";
import type { TransportFactory, TransportModule } from "../transport.ts";

const modules = new Map<string, string>([
  ["shm", new URL("../../transports/shm/index.ts", import.meta.url).href],
  ["memory", new URL("../../transports/memory/index.ts", import.meta.url).href],
  ["vf", new URL("../../transports/vf/index.ts", import.meta.url).href],
  ["bridged", new URL("../../transports/bridged/index.ts", import.meta.url).href],
  ["slurpoe", new URL("../../transports/slurpoe/index.ts", import.meta.url).href],
]);

/** Add or replace a transport module (a URL or absolute path whose default export is a factory). */
export function registerTransport(name: string, moduleUrl: string): void {
  modules.set(name, moduleUrl);
}

export function transportNames(): string[] {
  return [...modules.keys()];
}

export async function loadTransportModule(name: string): Promise<TransportModule> {
  const url = modules.get(name);
  if (!url) throw new MpiError("ERR_ARG", `unknown transport "${name}"; known: ${transportNames().join(", ")}`);
  const mod = (await import(url)) as Partial<TransportModule>;
  if (typeof mod.default !== "function") throw new MpiError("ERR_INTERNAL", `transport module ${url} has no default factory export`);
  return mod as TransportModule;
}

export async function loadTransport(name: string): Promise<TransportFactory> {
  return (await loadTransportModule(name)).default;
}
