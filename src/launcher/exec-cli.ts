/**
 * `tsmpi exec [options] program.ts [args...]`: run as the processes of a job
 * another launcher started, e.g.
 *
 *   mpiexec.hydra -n 4 npx tsmpi exec prog.ts
 *   srun --mpi=pmi2 -n 4 npx tsmpi exec prog.ts
 *   mpiexec.hydra -n 2 -ppn 1 npx tsmpi exec --ranks-per-process 4 prog.ts
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { exec } from "../engine/live/exec.ts";
import { MpiError } from "../errors.ts";
import type { PlacementMap } from "../placement/map.ts";
import { transportNames } from "../transport/registry.ts";
import { keyValues, splitAtProgram } from "./flags.ts";
import { checkSettings, flagSettings, settingsFromFlags } from "./settings.ts";

function usage(): string {
  return `usage: mpiexec.hydra|srun … tsmpi exec [options] program.(ts|js) [args...]

Each process the launcher started becomes one VM; the launcher's PMI (or the
Slurm environment) says which, and where. The job ends when every rank's main
has returned; a failing rank or abort() ends it through the launcher.

options:
  --ranks-per-process K  ranks in each process, as threads sharing memory (default 1)
  --transport T          transport between VMs: ${transportNames("inter-vm").join(", ")} (default vf)
  --placement FILE       your own map (one VM per launched process, in map order); tsmpi warns where
                         it groups VMs on hosts differently from the launcher
  --print-map            print the map and the per-pair transport matrix (process 0)
  --bind ADDR            address listeners bind to (default: loopback on one node, else this node's address)
  --set key=value        a setting (repeatable); --coll name=alg forces a collective algorithm
  --tag-output           prefix every output line with [rank]
  -h, --help             this text`;
}

const valueFlags = ["ranks-per-process", "transport", "placement", "bind", "set", "coll"];
const multiple = new Set(["set", "coll"]);

export async function execCommand(argv: string[]): Promise<number> {
  const flags = [...valueFlags, ...flagSettings().map((s) => s.flag!)];
  const { own, program, programArgs } = splitAtProgram(argv, flags.map((f) => `--${f}`));
  let values: Record<string, unknown>;
  try {
    const options: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {
      "tag-output": { type: "boolean" },
      "print-map": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    };
    for (const f of flags) options[f] = { type: "string", ...(multiple.has(f) ? { multiple: true } : {}) };
    values = parseArgs({ args: own, options, strict: true }).values;
  } catch (e) {
    console.error(`tsmpi exec: ${(e as Error).message}\n${usage()}`);
    return 2;
  }
  if (values.help) {
    console.log(usage());
    return 0;
  }
  if (!program) {
    console.error(`tsmpi exec: no program given\n${usage()}`);
    return 2;
  }
  const settings: Record<string, string> = {};
  let placement: PlacementMap | undefined;
  const ranksPerProcess = Number(values["ranks-per-process"] ?? 1);
  try {
    if (!Number.isInteger(ranksPerProcess) || ranksPerProcess < 1)
      throw new MpiError("ERR_ARG", `--ranks-per-process needs a positive integer, got ${String(values["ranks-per-process"])}`);
    keyValues(values.set as string[] | undefined, "--set", settings);
    keyValues(values.coll as string[] | undefined, "--coll", settings, "coll.");
    Object.assign(settings, settingsFromFlags(values));
    checkSettings(settings);
    if (values.placement !== undefined) {
      const file = values.placement as string;
      try {
        placement = JSON.parse(readFileSync(file, "utf8")) as PlacementMap;
      } catch (e) {
        throw new MpiError("ERR_PLACEMENT", `--placement ${file}: cannot read it as JSON (${(e as Error).message})`);
      }
      if (values.transport !== undefined) placement = { ...placement, transport: values.transport as string };
    }
  } catch (e) {
    console.error(`tsmpi exec: ${(e as Error).message}`);
    return 2;
  }
  const code = await exec({
    program,
    args: programArgs,
    ranksPerProcess,
    transport: values.transport as string | undefined,
    placement,
    printMap: Boolean(values["print-map"]),
    tagOutput: Boolean(values["tag-output"]),
    settings,
    bind: values.bind as string | undefined,
  });
  // Rank threads and sockets may still hold the event loop: the job is over here, so end.
  await new Promise<void>((r) => process.stdout.write("", () => process.stderr.write("", () => r())));
  process.exit(code);
}
