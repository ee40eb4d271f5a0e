/** `npm start`: runs the examples, one after another, and says how each went. */
import { fileURLToPath } from "node:url";
import { launch } from "./launch.ts";

const examples = [
  { file: "hello.ts", np: 4 },
  { file: "ring.ts", np: 4 },
  { file: "pingpong.ts", np: 2 },
];

export async function runStart(): Promise<number> {
  let failed = 0;
  for (const e of examples) {
    const program = fileURLToPath(new URL(`../../examples/${e.file}`, import.meta.url));
    console.log(`\n== tsmpi run -n ${e.np} examples/${e.file}`);
    const r = await launch({ np: e.np, program });
    if (!r.ok) {
      failed++;
      console.error(`tsmpi: ${e.file} failed: ${r.failure}`);
    }
  }
  return failed === 0 ? 0 : 1;
}
