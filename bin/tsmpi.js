#!/usr/bin/env node
// The tsmpi command, and a composition root: it registers tsx (so TypeScript,
// ours and the user's, runs without a build step) and the built-in
// transports, then routes the command: `start` and `bench` to bench/, the
// rest to the launcher's CLI.
import { register } from "tsx/esm/api";

register();
const { registerBuiltinTransports } = await import("../transports/index.ts");
registerBuiltinTransports();
const argv = process.argv.slice(2);
const { main } = argv[0] === "start" || argv[0] === "bench" ? await import("../bench/cli.ts") : await import("../src/launcher/cli.ts");
process.exitCode = await main(argv);
