/** The collectives' settings: force an algorithm per collective, or replace the rules table. */
import { choiceSetting, type Setting, stringSetting } from "../settings/registry.ts";
import { ALGORITHMS, type Collective } from "./select.ts";

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
  stringSetting({ key: "coll.rules", owner: "coll", unit: "path", doc: "a JSON rules file used before the built-in src/coll/rules.json" }),
];
