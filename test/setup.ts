// Tests are their own composition root: register the built-in transports, as bin/tsmpi.js and the package entry do.
import { registerBuiltinTransports } from "../transports/index.ts";

registerBuiltinTransports();
