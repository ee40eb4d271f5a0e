/**
 * The launcher's package entry (`import { launch } from "tsmpi/launch"`), a
 * composition root like index.ts: it registers the built-in transports and
 * exports launch() itself. The root entry's launch() loads this on first use,
 * so a rank's program, which imports "tsmpi", never loads the launcher.
 */
import { registerBuiltinTransports } from "./transports/index.ts";

registerBuiltinTransports();

export { type LaunchOptions, type LaunchResult, launch } from "./src/launcher/launch.ts";
export type { RankResult } from "./src/engine/program.ts";
