/**
 * Command lines of every benchmark: node:util's parseArgs (strict: an unknown
 * or misspelt option is an error, not silently ignored), `-h`/`--help` on
 * every one, and one shape for the errors (the problem, then the usage).
 */
import { type ParseArgsConfig, parseArgs } from "node:util";

type Options = NonNullable<ParseArgsConfig["options"]>;

export class UsageError extends Error {}

const HELP = { help: { type: "boolean", short: "h" } } as const;

/**
 * Parse `args` against `options` (plus `--help`). Throws UsageError with the
 * usage text on a bad command line. `positionals` says whether bare words are allowed.
 */
export function parseCli<const O extends Options>(args: readonly string[], usage: string, options: O, positionals = false) {
  try {
    return parseArgs({ args: [...args], options: { ...options, ...HELP }, strict: true, allowPositionals: positionals });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\nusage: ${usage}`);
  }
}

/** A number option: undefined when absent; UsageError unless it is a number above `min` (default: above 0). */
export function numberOption(value: string | undefined, name: string, usage: string, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= min) throw new UsageError(`--${name} must be a number above ${min}, got "${value}"\nusage: ${usage}`);
  return n;
}

/** For a script run by node: parse, print the usage and exit 0 on --help, print the problem and exit 2 on a bad command line. */
export function scriptCli<const O extends Options>(usage: string, options: O, positionals = false) {
  try {
    const parsed = parseCli(process.argv.slice(2), usage, options, positionals);
    if ((parsed.values as { help?: boolean }).help) {
      console.log(`usage: ${usage}`);
      process.exit(0);
    }
    return parsed;
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
}

/** For a rank's program: parse; on --help rank 0 prints the usage and the result is undefined (every rank returns). */
export function programCli<const O extends Options>(rank: number, args: readonly string[], usage: string, options: O, positionals = false) {
  const parsed = parseCli(args, usage, options, positionals);
  if ((parsed.values as { help?: boolean }).help) {
    if (rank === 0) console.log(`usage: ${usage}`);
    return undefined;
  }
  return parsed;
}
