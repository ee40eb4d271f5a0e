/**
 * The package entry (`import … from "tsmpi"`), and a composition root: it
 * registers the built-in transports (src/ names none of them) and re-exports
 * the public API.
 */
import { registerBuiltinTransports } from "./transports/index.ts";

registerBuiltinTransports();

export * from "./src/index.ts";
