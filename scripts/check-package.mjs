// `npm run check:package`: the packed tarball, checked from outside the
// repository as a new user meets it (issue 17). Each check prints PASS or
// FAIL; the script exits 1 when any failed. It needs the npm registry for the
// consumers' own tools (typescript, @types/node), as a user's project would.
//
//   1. `npm pack` (which builds dist/ first), then in fresh folders:
//   2. a default project (`npm init -y`: CommonJS): `node -e import('tsmpi')`
//      sees launch(), `require('tsmpi')` works, `npx tsmpi run -n 4 hello.ts`;
//   3. an ES-module project: the same run, and a program that imports a local module;
//   4. a strict TypeScript consumer (moduleResolution nodenext, skipLibCheck
//      off) compiles with zero errors;
//   5. `npx tsmpi --version`, and a missing program named before anything starts;
//   6. publint and @arethetypeswrong/cli on the tarball;
//   7. installed size and package count of the default project.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const repo = new URL("..", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "tsmpi-package-"));
let failed = 0;
const results = [];

function sh(cmd, args, cwd, extra = {}) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 300_000, ...extra });
  return { code: r.status, out: `${r.stdout ?? ""}${r.stderr ?? ""}`.trim() };
}

function check(name, ok, detail = "") {
  results.push({ name, ok });
  if (!ok) failed++;
  console.log(`${ok ? "PASS" : "FAIL"}  ${name}${detail ? `\n      ${detail.split("\n").slice(0, 12).join("\n      ")}` : ""}`);
}

const HELLO = `import { type Comm, Op } from "tsmpi";

export default async function main(world: Comm): Promise<void> {
  const sum = await world.allreduce(world.rank, Op.SUM);
  if (world.rank === 0) console.log(\`ranks: \${world.size}, sum of ranks: \${sum}\`);
}
`;

console.log(`# packing ${repo} into ${work}`);
execFileSync("npm", ["pack", "--pack-destination", work], { cwd: repo, stdio: ["ignore", "ignore", "inherit"] });
const tarball = join(work, readdirSync(work).find((f) => f.endsWith(".tgz")));

function project(name, type) {
  const dir = join(work, name);
  mkdirSync(dir);
  execFileSync("npm", ["init", "-y"], { cwd: dir, stdio: "ignore" });
  if (type === "module") execFileSync("npm", ["pkg", "set", "type=module"], { cwd: dir });
  const i = sh("npm", ["install", "--no-audit", "--no-fund", tarball], dir);
  check(`${name}: npm install <tarball>`, i.code === 0, i.code === 0 ? "" : i.out);
  writeFileSync(join(dir, "hello.ts"), HELLO);
  return dir;
}

// 2. The default project (CommonJS).
const cjs = project("default-project", "commonjs");
{
  const r = sh("node", ["-e", "import('tsmpi').then(m => console.log(typeof m.launch))"], cjs);
  check("default project: node -e import('tsmpi') sees launch()", r.out === "function", r.out);
  const q = sh("node", ["-e", "const m = require('tsmpi'); console.log(typeof m.Op.SUM, typeof m.launch)"], cjs);
  check("default project: require('tsmpi') works", q.out === "object function", q.out);
  const run = sh("npx", ["tsmpi", "run", "-n", "4", "hello.ts"], cjs);
  check("default project: npx tsmpi run -n 4 hello.ts", run.code === 0 && run.out.includes("ranks: 4, sum of ranks: 6"), run.out);
  const sim = sh("npx", ["tsmpi", "run", "-n", "4", "--engine", "sim", "hello.ts"], cjs);
  check("default project: npx tsmpi run -n 4 --engine sim hello.ts", sim.code === 0 && sim.out.includes("sum of ranks: 6"), sim.out);
  const v = sh("npx", ["tsmpi", "--version"], cjs);
  check("npx tsmpi --version", /^tsmpi \d+\.\d+\.\d+/.test(v.out), v.out);
  const missing = sh("npx", ["tsmpi", "run", "-n", "2", "nosuch.ts"], cjs);
  check(
    "a missing program is named, in one line, before anything starts",
    missing.code !== 0 && /nosuch\.ts does not exist/.test(missing.out) && !/\n\s+at /.test(missing.out),
    missing.out,
  );
}

// 3. An ES-module project, with a local module and launch() from code.
const esm = project("esm-project", "module");
{
  mkdirSync(join(esm, "lib"));
  writeFileSync(join(esm, "lib", "greeting.ts"), "export const greeting = (n: number): string => `hello from ${n} ranks`;\n");
  writeFileSync(
    join(esm, "uses-lib.ts"),
    'import type { Comm } from "tsmpi";\nimport { greeting } from "./lib/greeting.ts";\n\nexport default async function main(world: Comm): Promise<void> {\n  await world.barrier();\n  if (world.rank === 0) console.log(greeting(world.size));\n}\n',
  );
  const run = sh("npx", ["tsmpi", "run", "-n", "4", "hello.ts"], esm);
  check("ES-module project: npx tsmpi run -n 4 hello.ts", run.code === 0 && run.out.includes("sum of ranks: 6"), run.out);
  const lib = sh("npx", ["tsmpi", "run", "-n", "2", "uses-lib.ts"], esm);
  check("ES-module project: a program importing a local .ts module", lib.code === 0 && lib.out.includes("hello from 2 ranks"), lib.out);
  writeFileSync(
    join(esm, "driver.mjs"),
    'import { launch } from "tsmpi";\nconst r = await launch({ np: 2, program: "hello.ts", stdout: () => {} });\nconsole.log(r.ok, r.exitCode);\n',
  );
  const d = sh("node", ["driver.mjs"], esm);
  check("ES-module project: launch() from plain node", d.out === "true 0", d.out);
}

// 4. A strict TypeScript consumer.
{
  const dir = project("typescript-consumer", "module");
  const i = sh("npm", ["install", "--no-audit", "--no-fund", "-D", "typescript@5", "@types/node@20"], dir);
  check("typescript consumer: npm install -D typescript @types/node", i.code === 0, i.out);
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify(
      {
        compilerOptions: {
          strict: true,
          module: "nodenext",
          moduleResolution: "nodenext",
          target: "es2022",
          noEmit: true,
          skipLibCheck: false,
          allowImportingTsExtensions: true,
          types: ["node"],
        },
        include: ["*.ts"],
      },
      null,
      2,
    ),
  );
  writeFileSync(
    join(dir, "driver.ts"),
    'import { launch, type LaunchResult, MpiError, Op, type Status } from "tsmpi";\nimport { launch as direct } from "tsmpi/launch";\n\nconst r: LaunchResult = await launch({ np: 2, program: "hello.ts" });\nconst s: Status | undefined = undefined;\nconsole.log(r.ok, s, Op.SUM.name, MpiError.name, typeof direct);\n',
  );
  const tsc = sh("npx", ["tsc", "-p", "."], dir);
  check("strict tsc --noEmit consumer (nodenext, skipLibCheck off): zero errors", tsc.code === 0, tsc.out);
}

// 6. publint and arethetypeswrong, run from the repository's own devDependencies.
{
  const p = sh(join(repo, "node_modules/.bin/publint"), [tarball], repo);
  check("publint", p.code === 0 && !/error|warning/i.test(p.out.replace(/^Running publint.*$/m, "")), p.out);
  // ESM only on purpose (Node >= 20.19 can require() it): the esm-only profile leaves out the CommonJS-import rows.
  const a = sh(join(repo, "node_modules/.bin/attw"), [tarball, "--profile", "esm-only"], repo);
  check("@arethetypeswrong/cli (esm-only profile)", a.code === 0, a.out);
}

// 7. What installing costs.
{
  const du = sh("du", ["-sk", join(cjs, "node_modules")], cjs);
  const kib = Number(du.out.split(/\s+/)[0]);
  const ls = sh("npm", ["ls", "--all", "--parseable"], cjs);
  const packages = ls.out.split("\n").filter((l) => l.includes("node_modules")).length;
  console.log(`# installed: ${(kib / 1024).toFixed(1)} MiB in node_modules, ${packages} packages (default project)`);
}

console.log(`\n${results.length - failed} passed, ${failed} failed (${work})`);
process.exitCode = failed > 0 ? 1 : 0;
