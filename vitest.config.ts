import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // In the repository "tsmpi" is this source; the package's exports point at the build (dist/).
  resolve: {
    alias: [
      { find: /^tsmpi$/, replacement: fileURLToPath(new URL("./index.ts", import.meta.url)) },
      { find: /^tsmpi\/launch$/, replacement: fileURLToPath(new URL("./launch.ts", import.meta.url)) },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Live tests start processes and threads; the machine has two cores.
    maxWorkers: 2,
  },
});
