/** `tsmpi --version`: this package's version, read from its package.json (two folders up from the source, three from dist/). */
import { readFileSync } from "node:fs";
import { MODULE_EXTENSION } from "../constants.ts";

export function tsmpiVersion(): string {
  const url = new URL(`${MODULE_EXTENSION === ".ts" ? "../.." : "../../.."}/package.json`, import.meta.url);
  return (JSON.parse(readFileSync(url, "utf8")) as { version: string }).version;
}

export function versionText(): string {
  return `tsmpi ${tsmpiVersion()} (Node.js ${process.version})`;
}
