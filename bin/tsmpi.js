#!/usr/bin/env node
// The tsmpi command, and a composition root: it registers the built-in
// transports, then routes the command: `start`, `bench`, `study` and
// `model calibrate|compare` to bench/ (in the repository only), the rest to
// the launcher's CLI. In the repository it runs
// the TypeScript source through tsx (no build step); installed from npm, where
// there is no source, it runs the build in dist/ with plain Node.
import { existsSync } from "node:fs";

const fromSource = existsSync(new URL("../src/index.ts", import.meta.url));
if (fromSource) {
  const { register } = await import("tsx/esm/api");
  register();
}
const root = fromSource ? "../" : "../dist/";
const ext = fromSource ? ".ts" : ".js";
const { registerBuiltinTransports } = await import(`${root}transports/index${ext}`);
registerBuiltinTransports();
const argv = process.argv.slice(2);
const toBench = ["start", "bench", "study"].includes(argv[0]) || (argv[0] === "model" && ["calibrate", "compare"].includes(argv[1]));
if (toBench) {
  if (!fromSource) {
    console.error(`tsmpi ${argv.slice(0, argv[0] === "model" ? 2 : 1).join(" ")}: the benchmarks live in the repository, not in the npm package; clone it and run \`npm start\` there`);
    process.exit(2);
  }
  const { main } = await import("../bench/cli.ts");
  process.exitCode = await main(argv);
} else {
  const { main } = await import(`${root}src/launcher/cli${ext}`);
  process.exitCode = await main(argv);
}
