/**
 * The command line of tsmpi's own launcher: `tsmpi run -n N [options]
 * program.ts [args...]` and `tsmpi settings`. (`tsmpi start` and `tsmpi
 * bench` belong to bench/: bin/tsmpi.js routes them there.)
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { PlacementMap } from "../placement/map.ts";
import { ResolvedPlacement } from "../placement/resolved.ts";
import { BROKEN_PIPE, TERMINATED, launch } from "./launch.ts";
import { keyValues, placementFromFlags, ranksInPlacementFile, splitAtProgram } from "./flags.ts";
import { outputSinks, withoutRuntimeFrames } from "./output.ts";
import { versionText } from "./version.ts";
import { checkSettings, flagSettings, formatSettings, settingsFromFlags } from "./settings.ts";
import { transportNames } from "../transport/registry.ts";

/** The flags that set a setting, from the settings' own declarations (registered transports included). */
function settingFlagHelp(): string {
  return flagSettings()
    .map((f) => `  --${`${f.flag} ${f.type === "integer" || f.type === "number" ? "N" : "V"}`.padEnd(20)} ${f.key}: ${f.doc}`)
    .join("\n");
}

function usage(): string {
  return `usage: tsmpi run -n N [options] program.(ts|js) [args...]
       tsmpi profile -n N --out comm.json [options] program.(ts|js) [args...]   run it and write who sent how much to whom
       tsmpi map --comm comm.json --hosts H --vms-per-host V --slots S --strategy S --out map.json   (tsmpi map --help)
       tsmpi settings [owner|text]  every --set key with its default, unit, owner and doc
       tsmpi model list|validate [--json FILE]  the simulator's cost models; check them against the literature
       tsmpi model calibrate|compare ...        fit a model to this machine; compare it with live runs (repository only)
       tsmpi --version             the version of tsmpi and Node.js
       tsmpi start                 the default study: NAS class S and point-to-point under every transport
       tsmpi bench p2p|coll|nas|all [options]   the benchmark suite (tsmpi bench --help)

options:
  -n, --np N            number of ranks (default: the ranks of --placement FILE, else 1)
  --engine E            live (processes and threads, default) or sim (one thread)
  --tag-output          prefix every output line with [rank]
  --timestamp-output    prefix every output line with the wall-clock time
  --output-filename DIR also write rank N's output to DIR/1/rank.N/stdout and stderr
  --report-bindings     print the core(s) each rank thread and NIC thread may run on (with --bind-to core|none)
  --check-collectives   every collective first checks that all ranks call it alike (ERR_COLL_MISMATCH; --set coll.check=full)
  --set key=value       a setting (repeatable), e.g. --set shm.ringBytes=1048576 (tsmpi settings lists them)
  --coll name=alg       force a collective algorithm (repeatable), e.g. --coll allreduce=ring

placement (docs/placement.md); ranks in one VM always use shm:
  --hosts H             number of hosts
  --vms-per-host V      VMs on each host (default 1; with only --transport: one rank per VM)
  --map-by M            block (default), cyclic or random[:seed]
  --placement FILE      a placement map (JSON) instead of --hosts/--vms-per-host/--map-by
  --transport T         transport between VMs: ${transportNames("inter-vm").join(", ")} (default vf)
  --pair a,b=T          use T between ranks a and b (repeatable)
  --vm-pair A,B=T       use T between every rank of VMs A and B (repeatable)
  --print-map           print the map and the per-pair transport matrix (alone: print and exit)
  --manifest FILE       write map, matrix, versions, settings (and --stats) as JSON after the run
  --stats               print every rank's transport counters and every bridge's at the end
  --bind ADDR           address every listener binds to (default 127.0.0.1)

flags that set a setting (declared by their owners):
${settingFlagHelp()}
  -h, --help            this text`;
}

const valueFlags = [
  "out",
  "np",
  "engine",
  "set",
  "coll",
  "hosts",
  "vms-per-host",
  "map-by",
  "placement",
  "transport",
  "pair",
  "vm-pair",
  "manifest",
  "bind",
  "output-filename",
];
const multiple = new Set(["set", "coll", "pair", "vm-pair"]);

function allValueFlags(): string[] {
  return [...valueFlags, ...flagSettings().map((s) => s.flag!)];
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "run" || command === "profile") return run(rest, command);
  // Loaded on demand: `tsmpi run` starts sooner without the mapper and the model.
  if (command === "map") return (await import("./map-command.ts")).mapCommand(rest);
  if (command === "model") return (await import("./model-cli.ts")).modelCommand(rest);
  if (command === "--version" || command === "-V" || command === "version") {
    console.log(versionText());
    return 0;
  }
  if (command === "exec") {
    const { execCommand } = await import("./exec-cli.ts");
    return execCommand(rest);
  }
  if (command === "settings") {
    console.log(formatSettings(rest[0]));
    return 0;
  }
  if (command === "-h" || command === "--help" || command === undefined) {
    console.log(usage());
    return command === undefined ? 2 : 0;
  }
  console.error(`tsmpi: unknown command "${command}"\n${usage()}`);
  return 2;
}

async function run(args: string[], command: "run" | "profile"): Promise<number> {
  const { own, program, programArgs } = splitAtProgram(args, ["-n", ...allValueFlags().map((f) => `--${f}`)]);
  let values: Record<string, unknown>;
  try {
    const options: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {
      "tag-output": { type: "boolean" },
      "timestamp-output": { type: "boolean" },
      "report-bindings": { type: "boolean" },
      "check-collectives": { type: "boolean" },
      "print-map": { type: "boolean" },
      stats: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    };
    for (const f of allValueFlags()) options[f] = { type: "string", ...(multiple.has(f) ? { multiple: true } : {}) };
    options.np!.short = "n";
    values = parseArgs({ args: own, options, strict: true }).values;
  } catch (e) {
    console.error(`tsmpi: ${(e as Error).message}\n${usage()}`);
    return 2;
  }
  if (values.help) {
    console.log(usage());
    return 0;
  }
  const fromMap = values.np === undefined && typeof values.placement === "string" ? ranksInPlacementFile(values.placement) : undefined;
  const np = Number(values.np ?? fromMap ?? 1);
  if (!Number.isInteger(np) || np < 1) {
    console.error(`tsmpi: -n needs a positive integer, got ${String(values.np)}\n${usage()}`);
    return 2;
  }
  if (command === "profile" && !values.out) {
    console.error(`tsmpi profile: --out FILE is required (where the profile goes)\n${usage()}`);
    return 2;
  }
  const engine = (values.engine ?? "live") as string;
  if (engine !== "live" && engine !== "sim") {
    console.error(`tsmpi: --engine must be live or sim, got ${engine}`);
    return 2;
  }
  const settings: Record<string, string> = {};
  let map: PlacementMap | undefined;
  try {
    keyValues(values.set as string[] | undefined, "--set", settings);
    keyValues(values.coll as string[] | undefined, "--coll", settings, "coll.");
    Object.assign(settings, settingsFromFlags(values));
    if (values["report-bindings"]) settings["job.reportBindings"] = "true";
    if (values["check-collectives"]) settings["coll.check"] = "full";
    checkSettings(settings);
    map = placementFromFlags(values, np);
  } catch (e) {
    console.error(`tsmpi: ${(e as Error).message}`);
    return 2;
  }
  const table = (map ? ResolvedPlacement.fromMap(map, np) : ResolvedPlacement.singleVm(np)).table;
  if (values["print-map"]) console.log((await import("../placement/print.ts")).formatMap(table));
  if (!program) {
    if (values["print-map"]) return 0;
    console.error(`tsmpi: no program given\n${usage()}`);
    return 2;
  }
  const stop = new AbortController();
  // The reason says which signal, so the exit status is the shell's: 130 for SIGINT, 143 for SIGTERM.
  const onSignal = (signal: NodeJS.Signals): void => stop.abort(signal === "SIGTERM" ? TERMINATED : undefined);
  // A reader that went away (`tsmpi run … | head`) stops the job as SIGPIPE
  // would stop a C program, rather than crashing with the ranks left running.
  const onOutputError = (e: NodeJS.ErrnoException): void => {
    if (e.code !== "EPIPE") throw e;
    stop.abort(BROKEN_PIPE);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.stdout.on("error", onOutputError);
  process.stderr.on("error", onOutputError);
  const sinks = outputSinks(
    { timestamp: Boolean(values["timestamp-output"]), filename: values["output-filename"] as string | undefined },
    { stdout: (l) => process.stdout.write(`${l}\n`), stderr: (l) => process.stderr.write(`${l}\n`) },
  );
  // SIGQUIT (Ctrl-\) prints what every rank is doing and lets the job go on, as the deadlock report and --timeout say it.
  let states: (() => string[]) | undefined;
  const onQuit = (): void => {
    sinks.stderr("tsmpi: SIGQUIT: what every rank is doing (the job goes on):");
    for (const line of states?.() ?? ["the job has not started its ranks yet"]) sinks.stderr(`  ${line}`);
  };
  process.on("SIGQUIT", onQuit);
  try {
    const result = await launch({
      np,
      program,
      args: programArgs,
      engine,
      stdout: sinks.stdout,
      stderr: sinks.stderr,
      tagOutput: Boolean(values["tag-output"]),
      settings,
      placement: map,
      bind: values.bind as string | undefined,
      stats: Boolean(values.stats),
      profile: command === "profile",
      signal: stop.signal,
      onStates: (f) => {
        states = f;
      },
    });
    if (!result.ok) sinks.stderr(`tsmpi: job failed: ${withoutRuntimeFrames(result.failure ?? "")}`);
    if (command === "profile" && result.profile) {
      writeFileSync(values.out as string, `${JSON.stringify(result.profile)}\n`);
      console.error(`tsmpi profile: wrote ${values.out as string} (${np} ranks)`);
    }
    if (values.manifest) {
      const manifest = (await import("../placement/manifest.ts")).buildManifest({
        np,
        engine,
        program,
        args: programArgs,
        map,
        table,
        settings,
        commandLine: ["tsmpi", "run", ...args],
        result: { ok: result.ok, exitCode: result.exitCode, failure: result.failure, seconds: result.seconds },
        stats: values.stats ? result.stats : undefined,
        sim: result.sim,
      });
      writeFileSync(values.manifest as string, `${JSON.stringify(manifest, null, 2)}\n`);
    }
    return result.exitCode;
  } catch (e) {
    // A job that cannot start (a missing program, one that does not compile): one line, no stack.
    console.error(`tsmpi: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    process.off("SIGQUIT", onQuit);
    process.stdout.off("error", onOutputError);
    process.stderr.off("error", onOutputError);
  }
}
