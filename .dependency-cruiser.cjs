/**
 * The layer rules (../shared/DESIGN.md, "The layers"): imports only point
 * down, and nothing imports in a circle. `npm test` runs this check; any
 * violation fails it.
 *
 *   api ─┬─ coll ─── core ─── ground floor (errors, constants, settings, transport)
 *        └────────── core
 *   beside the stack: placement, model, control, bootstrap, engine, launcher (in that order, each may use those before it)
 *   transports/ import only the ground floor; src/ never imports transports/ or bench/; bench/ may import anything.
 */
const GROUND = "^src/(errors|constants)\\.ts$|^src/(settings|transport)/";
module.exports = {
  forbidden: [
    { name: "no-circular", severity: "error", comment: "import circles hide the layering", from: { path: "^(src|transports|bench|index\\.ts)" }, to: { circular: true } },
    { name: "src-not-transports", severity: "error", comment: "src/ names no transport: the composition roots register them", from: { path: "^src/" }, to: { path: "^transports/" } },
    { name: "src-not-bench", severity: "error", comment: "the runtime never imports its benchmarks", from: { path: "^src/" }, to: { path: "^bench/" } },
    { name: "transports-only-ground", severity: "error", comment: "transports import only the ground floor of src/", from: { path: "^transports/" }, to: { path: "^src/", pathNot: GROUND } },
    { name: "ground-floor-stays-down", severity: "error", comment: "the ground floor imports nothing above it", from: { path: GROUND }, to: { path: "^src/", pathNot: GROUND } },
    { name: "core-below-everything", severity: "error", comment: "core/ is the matching engine: it imports only the ground floor", from: { path: "^src/core/" }, to: { path: "^src/", pathNot: `${GROUND}|^src/core/` } },
    { name: "coll-over-channel", severity: "error", comment: "collectives run over a channel (coll/channel.ts), never over api/ or above", from: { path: "^src/coll/" }, to: { path: "^src/", pathNot: `${GROUND}|^src/(core|coll)/` } },
    { name: "api-below-engines", severity: "error", comment: "what a program touches does not reach into engines or launchers", from: { path: "^src/api/" }, to: { path: "^src/(engine|launcher|bootstrap|control|model)/" } },
    { name: "placement-is-data", severity: "error", comment: "placement is data about where ranks sit", from: { path: "^src/placement/" }, to: { path: "^src/", pathNot: `${GROUND}|^src/(placement|model)/` } },
    { name: "model-is-data", severity: "error", comment: "the cost model is shared by the simulator, the mapper and the live emulation", from: { path: "^src/model/" }, to: { path: "^src/", pathNot: `${GROUND}|^src/(model|placement)/` } },
    { name: "control-is-a-wire", severity: "error", comment: "the launcher<->VM wire is owned by neither end", from: { path: "^src/control/" }, to: { path: "^src/", pathNot: `${GROUND}|^src/(control|placement)/` } },
    { name: "bootstrap-below-engine", severity: "error", comment: "how a VM process learns its job", from: { path: "^src/bootstrap/" }, to: { path: "^src/", pathNot: `${GROUND}|^src/(bootstrap|control|placement)/` } },
    { name: "engine-below-launcher", severity: "error", comment: "engines run ranks; the launcher runs engines", from: { path: "^src/engine/" }, to: { path: "^src/launcher/" } },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "node_modules|^build/|^results/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js", ".json"] },
  },
};
