/**
 * The job's settings as the launcher sees them: the declarations of every
 * owner (the collectives here in src/, the registered transports through the
 * registry), checked once before anything starts, listed by `tsmpi settings`,
 * and turned into `tsmpi run` flags where a declaration names one.
 */
import { collSettings } from "../coll/settings.ts";
import { simSettings } from "../engine/sim/settings.ts";
import { traceSettings } from "../trace/settings.ts";
import { type Setting, type Settings, SettingsRegistry } from "../settings/registry.ts";
import { bindingSettings } from "../transport/affinity.ts";
import { transportSettings } from "../transport/registry.ts";
import { launcherSettings } from "./job-settings.ts";

/** Every declared setting (collectives and registered transports). */
export function jobSettings(): SettingsRegistry {
  const registry = new SettingsRegistry();
  registry.declare(collSettings);
  registry.declare(bindingSettings);
  registry.declare(launcherSettings);
  registry.declare(simSettings);
  registry.declare(traceSettings);
  registry.declare(transportSettings());
  return registry;
}

/** Throws ERR_SETTING for an unknown key (naming the nearest) or a value its declaration refuses. */
export function checkSettings(settings: Settings): void {
  jobSettings().validate(settings);
}

/** Settings that a `tsmpi run` flag sets (`--doorbell-batch 4` → nic.doorbellBatch). */
export function flagSettings(): Setting[] {
  return jobSettings()
    .all()
    .filter((s) => s.flag !== undefined);
}

/** The settings the sugar flags given stand for (values as strings, as `--set` gives them). */
export function settingsFromFlags(values: Record<string, unknown>): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const s of flagSettings()) if (values[s.flag!] !== undefined) settings[s.key] = String(values[s.flag!]);
  return settings;
}

/** `tsmpi settings`: every key with its type, default, unit, owner and doc (as `ompi_info --param all all`). */
export function formatSettings(filter?: string): string {
  const rows = jobSettings()
    .all()
    .filter((s) => !filter || s.key.includes(filter) || s.owner === filter);
  const lines: string[] = [];
  let owner = "";
  for (const s of rows) {
    if (s.owner !== owner) {
      owner = s.owner;
      lines.push(`${lines.length ? "\n" : ""}[${owner}]`);
    }
    const unit = s.unit ? ` ${s.unit}` : "";
    const flag = s.flag ? `  (flag --${s.flag})` : "";
    lines.push(`  ${s.key} = ${s.defaultText}${unit}   <${s.type}>${flag}`);
    lines.push(`      ${s.doc}`);
  }
  return lines.join("\n");
}
