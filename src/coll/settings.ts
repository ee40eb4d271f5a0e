/** The collectives' settings: force an algorithm per collective, or replace the rules table. */
import { choiceSetting, type Setting, stringSetting } from "../settings/registry.ts";
import { ALGORITHMS, type Collective } from "./select.ts";

/** `coll.check`: agree on every collective call before its data moves (src/coll/check.ts); `tsmpi run --check-collectives`. */
export const checkCollectives = choiceSetting({
  key: "coll.check",
  owner: "coll",
  choices: ["off", "full"] as const,
  default: "off",
  doc: "full: every collective first agrees on its kind, root, op and count across members (ERR_COLL_MISMATCH on every rank instead of a hang or a wrong answer; --check-collectives)",
});

/** `coll.<collective>`: the algorithm every call of that collective uses (`--coll allreduce=ring`). */
export const collSettings: readonly Setting[] = [
  ...(Object.keys(ALGORITHMS) as Collective[]).map((collective) =>
    choiceSetting({
      key: `coll.${collective}`,
      owner: "coll",
      choices: ALGORITHMS[collective],
      doc: `force the ${collective} algorithm (default: chosen by the rules table)`,
    }),
  ),
  checkCollectives,
  stringSetting({ key: "coll.rules", owner: "coll", unit: "path", doc: "a JSON rules file used before the built-in src/coll/rules.json" }),
];
