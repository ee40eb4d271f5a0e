/**
 * Choosing a cost model: `--model NAME|FILE|loggp:L=..,o=..,g=..,G=..[,O=..,S=..]`.
 * A NAME is a preset in ./presets (JSON: one number per mechanism, each with
 * the paper it comes from); a FILE is the same format (calibration writes
 * one); `loggp:` is the plain LogGOPS model for closed-form checks.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as v from "valibot";
import { MpiError } from "../errors.ts";
import { type CostModel, costModel, MECHANISMS, type MechanismName } from "../transport/cost.ts";
import { type LogGOPS, parseLogGP } from "./loggp.ts";

const presetDir = fileURLToPath(new URL("./presets/", import.meta.url));

const MechanismSchema = v.object({
  value: v.pipe(v.number(), v.finite(), v.minValue(0)),
  /** The paper (or the named estimate) the number comes from. */
  source: v.pipe(v.string(), v.minLength(1)),
});

export const PresetSchema = v.object({
  name: v.pipe(v.string(), v.minLength(1)),
  description: v.string(),
  mechanisms: v.record(v.picklist(Object.keys(MECHANISMS) as MechanismName[]), MechanismSchema),
});

export type Preset = v.InferOutput<typeof PresetSchema>;

/** A model of path stages (a preset or a calibration) or the LogGOPS model. */
export type Model =
  | { readonly kind: "stages"; readonly name: string; readonly preset: Preset; readonly cost: CostModel }
  | { readonly kind: "loggp"; readonly name: string; readonly params: LogGOPS };

export function presetNames(): string[] {
  return readdirSync(presetDir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -5))
    .sort();
}

/** Validates a parsed preset; `origin` names where it came from for the error. */
export function parsePreset(json: unknown, origin: string): Preset {
  const result = v.safeParse(PresetSchema, json);
  if (!result.success) {
    const issues = result.issues.map((i) => `${v.getDotPath(i) ?? "(top)"}: ${i.message}`).join("; ");
    throw new MpiError(
      "ERR_ARG",
      `--model ${origin}: not a valid model (${issues}); each mechanism is { "value": number, "source": "the paper" }, names from: ${Object.keys(MECHANISMS).join(", ")}`,
    );
  }
  return result.output;
}

/** The stage model of a preset, with `overrides` (mechanism → number) applied. */
export function stagesModel(preset: Preset, overrides: Readonly<Record<string, number>> = {}): Model {
  const values: Partial<Record<MechanismName, number>> = {};
  for (const [k, m] of Object.entries(preset.mechanisms)) values[k as MechanismName] = m!.value;
  for (const [k, value] of Object.entries(overrides)) {
    if (!(k in MECHANISMS)) throw new MpiError("ERR_ARG", `model override "${k}" is not a mechanism; known: ${Object.keys(MECHANISMS).join(", ")}`);
    values[k as MechanismName] = value;
  }
  return { kind: "stages", name: preset.name, preset, cost: costModel(preset.name, values) };
}

/** Resolves `--model`: a preset name, a JSON file, or `loggp:...`. */
export function loadModel(spec: string, overrides: Readonly<Record<string, number>> = {}): Model {
  if (spec.startsWith("loggp:") || spec === "loggp") {
    return { kind: "loggp", name: spec, params: parseLogGP(spec) };
  }
  const names = presetNames();
  let path: string;
  if (names.includes(spec)) path = `${presetDir}${spec}.json`;
  else if (existsSync(spec)) path = spec;
  else {
    throw new MpiError("ERR_ARG", `--model ${spec}: no such preset or file; presets: ${names.join(", ")}, or loggp:L=..,o=..,g=..,G=..[,O=..,S=..]`);
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new MpiError("ERR_ARG", `--model ${spec}: cannot read ${path} as JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  return stagesModel(parsePreset(json, spec), overrides);
}
