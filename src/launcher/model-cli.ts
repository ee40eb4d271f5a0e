/**
 * `tsmpi model list|validate`: the cost models the simulator knows, and the
 * check of the claims of domain-model §4 against them.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadModel, presetNames } from "../model/load.ts";
import { formatClaims, validateClaims } from "./validate.ts";

const usage = `usage: tsmpi model list                 the presets, what each describes
       tsmpi model validate [--json FILE]  run one simulated experiment per claim (domain-model §4) and compare
       tsmpi model calibrate --out FILE    measure this machine's live emulation, write a model fitted to it (repository only)
       tsmpi model compare --model FILE    live vs simulated, side by side, with ratios and bands (repository only)`;

export async function modelCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === "list") {
    for (const name of presetNames()) {
      const m = loadModel(name);
      if (m.kind === "stages") console.log(`${name.padEnd(14)} ${m.preset.description}`);
    }
    console.log(`${"loggp:...".padEnd(14)} LogGOPS per message: loggp:L=..,o=..,g=..,G=..[,O=..,S=..] (seconds, s/B, bytes)`);
    return 0;
  }
  if (sub === "validate") {
    let values: { json?: string };
    try {
      values = parseArgs({ args: rest, options: { json: { type: "string" } }, strict: true }).values;
    } catch (e) {
      console.error(`tsmpi model: ${(e as Error).message}\n${usage}`);
      return 2;
    }
    const rows = await validateClaims();
    console.log(formatClaims(rows));
    if (values.json) {
      const json = rows.map(({ claim, expected, modelled, ok, source }) => ({ claim, expected, modelled, ok, source }));
      writeFileSync(values.json, `${JSON.stringify(json, null, 2)}\n`);
    }
    return rows.every((r) => r.ok) ? 0 : 1;
  }
  console.error(sub === undefined || sub === "-h" || sub === "--help" ? usage : `tsmpi model: unknown subcommand "${sub}"\n${usage}`);
  return sub === "-h" || sub === "--help" ? 0 : 2;
}
