/**
 * The settings registry: every `--set key=value` is declared once, next to
 * its owner (the core, the collectives, a transport, the launcher), with its
 * type, default, unit and a one-line doc, and optionally a CLI flag that sets
 * it. Values travel as strings (across processes and threads, as `--set` gave
 * them) and are parsed by the declaration wherever they are read; the
 * launcher validates the whole set once, before anything starts, so a typo or
 * a bad value is an error naming the nearest known key — never silently
 * ignored (as `ompi_info --param` lists MCA parameters, `tsmpi settings`
 * lists these).
 */
import * as v from "valibot";
import { MpiError } from "../errors.ts";

export type SettingValue = number | boolean | string;
export type Settings = Readonly<Record<string, string>>;

export interface Setting<T extends SettingValue = SettingValue> {
  readonly key: string;
  /** Who reads it: "core", "coll", "shm", "slurpoe", … */
  readonly owner: string;
  /** "integer", "number", "boolean", "string", or the allowed values joined with "|". */
  readonly type: string;
  readonly default: T | undefined;
  /** The default as `tsmpi settings` prints it. */
  readonly defaultText: string;
  readonly unit: string;
  readonly doc: string;
  /** A `tsmpi run` flag that sets it (`--doorbell-batch 4` for nic.doorbellBatch). */
  readonly flag: string | undefined;
  /** The value as this setting's type; throws ERR_SETTING naming the key and the expected type. */
  parse(raw: string): T;
  /** The value in `settings`, or the default. */
  read(settings: Settings): T;
  /** The value in `settings`, or undefined when it is not set (for defaults that depend on the job). */
  given(settings: Settings): T | undefined;
}

interface Common<T> {
  key: string;
  owner: string;
  default?: T;
  /** Said instead of a default when the default depends on the job. */
  defaultText?: string;
  unit?: string;
  doc: string;
  flag?: string;
}

function declare<T extends SettingValue>(c: Common<T>, type: string, expected: string, schema: v.GenericSchema<string, T>): Setting<T> {
  const parse = (raw: string): T => {
    const r = v.safeParse(schema, raw);
    if (r.success) return r.output;
    throw new MpiError("ERR_SETTING", `setting ${c.key}=${JSON.stringify(raw)}: expected ${expected}${c.unit ? ` (${c.unit})` : ""}; ${c.doc}`);
  };
  return {
    key: c.key,
    owner: c.owner,
    type,
    default: c.default,
    defaultText: c.defaultText ?? (c.default === undefined ? "(none)" : String(c.default)),
    unit: c.unit ?? "",
    doc: c.doc,
    flag: c.flag,
    parse,
    read(settings: Settings): T {
      const raw = settings[c.key];
      if (raw !== undefined) return parse(raw);
      if (c.default === undefined) throw new MpiError("ERR_SETTING", `setting ${c.key} has no value and no default; set it with --set ${c.key}=…`);
      return c.default;
    },
    given(settings: Settings): T | undefined {
      const raw = settings[c.key];
      return raw === undefined ? undefined : parse(raw);
    },
  };
}

/** A strict decimal number: no blanks, hex, "Infinity" or trailing garbage (Number("") is 0, Number(" 1") is 1). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function integerSetting(c: Common<number> & { min?: number; max?: number }): Setting<number> {
  const min = c.min ?? Number.MIN_SAFE_INTEGER;
  const max = c.max ?? Number.MAX_SAFE_INTEGER;
  const schema = v.pipe(v.string(), v.regex(DECIMAL), v.transform(Number), v.safeInteger(), v.minValue(min), v.maxValue(max));
  return declare(c, "integer", rangeText("an integer", c.min, c.max), schema);
}

export function numberSetting(c: Common<number> & { min?: number; max?: number }): Setting<number> {
  const schema = v.pipe(v.string(), v.regex(DECIMAL), v.transform(Number), v.finite(), v.minValue(c.min ?? -Infinity), v.maxValue(c.max ?? Infinity));
  return declare(c, "number", rangeText("a number", c.min, c.max), schema);
}

export function booleanSetting(c: Common<boolean>): Setting<boolean> {
  const schema = v.pipe(
    v.string(),
    v.picklist(["true", "false", "1", "0", "yes", "no"]),
    v.transform((s) => s === "true" || s === "1" || s === "yes"),
  );
  return declare(c, "boolean", "true or false", schema);
}

export function stringSetting(c: Common<string>): Setting<string> {
  return declare(c, "string", "a non-empty string", v.pipe(v.string(), v.minLength(1)));
}

export function choiceSetting<const C extends string>(c: Common<C> & { choices: readonly C[] }): Setting<C> {
  const schema = v.pipe(v.string(), v.picklist(c.choices)) as unknown as v.GenericSchema<string, C>;
  return declare(c, c.choices.join("|"), `one of ${c.choices.join(", ")}`, schema);
}

function rangeText(what: string, min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `${what} from ${min} to ${max}`;
  if (min !== undefined) return `${what} ≥ ${min}`;
  if (max !== undefined) return `${what} ≤ ${max}`;
  return what;
}

/** Every declared setting of the job: the launcher fills it from src/ owners and the registered transports. */
export class SettingsRegistry {
  private readonly byKey = new Map<string, Setting>();

  /** Add an owner's declarations; a key declared twice is a programming error. */
  declare(settings: readonly Setting[]): void {
    for (const s of settings) {
      const had = this.byKey.get(s.key);
      if (had && had !== s) throw new MpiError("ERR_INTERNAL", `setting ${s.key} is declared twice (by ${had.owner} and ${s.owner})`);
      this.byKey.set(s.key, s);
    }
  }

  get(key: string): Setting | undefined {
    return this.byKey.get(key);
  }

  /** Every declared setting, by owner then key. */
  all(): Setting[] {
    return [...this.byKey.values()].sort((a, b) => a.owner.localeCompare(b.owner) || a.key.localeCompare(b.key));
  }

  /** Check every key is declared and every value parses; throws ERR_SETTING naming the nearest known key. */
  validate(settings: Settings): void {
    for (const [key, raw] of Object.entries(settings)) {
      const s = this.byKey.get(key);
      if (!s) {
        const near = nearest(key, [...this.byKey.keys()]);
        throw new MpiError("ERR_SETTING", `unknown setting "${key}"${near ? `; did you mean "${near}"?` : ""} (\`tsmpi settings\` lists every key)`);
      }
      s.parse(raw);
    }
  }
}

/** The closest key by edit distance (case differences count little), if any is close enough to be a typo. */
export function nearest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = k.toLowerCase() === key.toLowerCase() ? 0.5 : distance(key.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = k;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/** Levenshtein distance, two rows. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}
