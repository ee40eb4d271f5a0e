/** Placement maps: format, validation, generators, conversion to the engines' table, printing, manifests. */
export { isPlacementMap, type HostEntry, type Override, type PlacementMap, type VmEntry } from "./map.ts";
export { validateMap } from "./validate.ts";
export { generateMap, parseMapBy, seededRandom, type MapBy, type StrategyOptions } from "./strategies.ts";
export { type PlacementTable, ResolvedPlacement } from "./resolved.ts";
export { formatMap } from "./print.ts";
export { buildManifest, type ManifestInput } from "./manifest.ts";
