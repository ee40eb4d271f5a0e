#!/usr/bin/env node
// The tsmpi command. Registers tsx so TypeScript (ours and the user's) runs
// without a build step, then hands over to the CLI.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/launcher/cli.ts");
process.exitCode = await main(process.argv.slice(2));
