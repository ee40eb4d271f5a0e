/**
 * The built-in transports, registered by the composition roots (bin/tsmpi.js
 * and the package entry, index.ts): src/ names none of them. Each entry's
 * module is loaded only when a rank opens it; its settings are declared here
 * so the launcher can check every `--set` key before anything starts.
 */
import { registerTransports, type TransportEntry } from "../src/transport/registry.ts";
import { bridgedSettings } from "./bridged/settings.ts";
import { shmSettings } from "./shm/settings.ts";
import { slurpoeSettings } from "./slurpoe/settings.ts";
import { vfSettings } from "./vf/settings.ts";

const here = (path: string): string => new URL(path, import.meta.url).href;

export const builtinTransports: readonly TransportEntry[] = [
  { name: "shm", module: here("./shm/index.ts"), path: here("./shm/path.ts"), role: "intra-vm", settings: shmSettings },
  { name: "bridged", module: here("./bridged/index.ts"), path: here("./bridged/path.ts"), role: "inter-vm", settings: bridgedSettings },
  { name: "vf", module: here("./vf/index.ts"), path: here("./vf/path.ts"), role: "inter-vm", settings: vfSettings },
  { name: "slurpoe", module: here("./slurpoe/index.ts"), path: here("./slurpoe/path.ts"), role: "inter-vm", settings: slurpoeSettings },
  { name: "memory", module: here("./memory/index.ts"), role: "simulator", settings: [] },
];

export function registerBuiltinTransports(): void {
  registerTransports(builtinTransports);
}
