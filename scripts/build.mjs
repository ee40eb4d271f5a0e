// `npm run build`: the package's JavaScript and type declarations in dist/
// (tsc rewrites the source's ".ts" imports to ".js"), plus the files tsc does
// not emit: the thread entries (plain JavaScript) and the JSON data.
import { execFileSync } from "node:child_process";
import { cpSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
rmSync(join(root, "dist"), { recursive: true, force: true });
execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });

// tsc rewrites ".ts" in the JavaScript it emits but not in declarations:
// consumers' TypeScript must find "./x.js" (and so ./x.d.ts) there too.
function rewriteDeclarations(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) rewriteDeclarations(path);
    else if (name.endsWith(".d.ts")) {
      const text = readFileSync(path, "utf8");
      const fixed = text.replace(/((?:from|import)\s*\(?\s*["']\.{1,2}\/[^"']*)\.ts(["'])/g, "$1.js$2");
      if (fixed !== text) writeFileSync(path, fixed);
    }
  }
}
rewriteDeclarations(join(root, "dist"));

function copyAssets(dir) {
  for (const name of readdirSync(join(root, dir))) {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) copyAssets(path);
    else if (/\.(js|json)$/.test(name)) cpSync(join(root, path), join(root, "dist", path));
  }
}
copyAssets("src");
copyAssets("transports");
