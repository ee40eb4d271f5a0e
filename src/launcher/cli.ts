/**
 * The command line: `tsmpi run -n N [options] program.ts [args...]`, and
 * `tsmpi start` (the default study; for now the examples).
 */
import { parseArgs } from "node:util";
import { launch } from "./launch.ts";

const usage = `usage: tsmpi run -n N [--engine live|sim] [--tag-output] [--set key=value] program.(ts|js) [args...]
       tsmpi start                 run the examples

options:
  -n, --np N          number of ranks
  --engine E          live (processes and threads, default) or sim (one thread)
  --tag-output        prefix every output line with [rank]
  --set key=value     a setting (repeatable), e.g. --set shm.ringBytes=1048576
  --coll name=alg     force a collective algorithm (repeatable), e.g. --coll allreduce=ring
  -h, --help          this text`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "run") return run(rest);
  if (command === "start") {
    const { runStart } = await import("./start.ts");
    return runStart();
  }
  if (command === "-h" || command === "--help" || command === undefined) {
    console.log(usage);
    return command === undefined ? 2 : 0;
  }
  console.error(`tsmpi: unknown command "${command}"\n${usage}`);
  return 2;
}

/** Options end at the program path: everything after it belongs to the program. */
function splitAtProgram(args: string[]): { own: string[]; program?: string; programArgs: string[] } {
  const takesValue = new Set(["-n", "--np", "--engine", "--set", "--coll"]);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (takesValue.has(a)) {
      i++;
      continue;
    }
    if (a.startsWith("-")) continue;
    return { own: args.slice(0, i), program: a, programArgs: args.slice(i + 1) };
  }
  return { own: args, programArgs: [] };
}

async function run(args: string[]): Promise<number> {
  const { own, program, programArgs } = splitAtProgram(args);
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args: own,
      options: {
        np: { type: "string", short: "n" },
        engine: { type: "string" },
        "tag-output": { type: "boolean" },
        set: { type: "string", multiple: true },
        coll: { type: "string", multiple: true },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }).values;
  } catch (e) {
    console.error(`tsmpi: ${(e as Error).message}\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const np = Number(values.np ?? 1);
  if (!program || !Number.isInteger(np) || np < 1) {
    console.error(`tsmpi: ${program ? `-n needs a positive integer, got ${String(values.np)}` : "no program given"}\n${usage}`);
    return 2;
  }
  const engine = (values.engine ?? "live") as string;
  if (engine !== "live" && engine !== "sim") {
    console.error(`tsmpi: --engine must be live or sim, got ${engine}`);
    return 2;
  }
  const settings: Record<string, string> = {};
  for (const kv of (values.set as string[] | undefined) ?? []) {
    const eq = kv.indexOf("=");
    if (eq <= 0) {
      console.error(`tsmpi: --set needs key=value, got ${kv}`);
      return 2;
    }
    settings[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  for (const kv of (values.coll as string[] | undefined) ?? []) {
    const eq = kv.indexOf("=");
    if (eq <= 0) {
      console.error(`tsmpi: --coll needs collective=algorithm, got ${kv}`);
      return 2;
    }
    settings[`coll.${kv.slice(0, eq)}`] = kv.slice(eq + 1);
  }
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const result = await launch({
      np,
      program,
      args: programArgs,
      engine,
      tagOutput: Boolean(values["tag-output"]),
      settings,
      signal: stop.signal,
    });
    if (!result.ok) console.error(`tsmpi: job failed: ${result.failure}`);
    return result.exitCode;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
