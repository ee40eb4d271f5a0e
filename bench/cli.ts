/**
 * `tsmpi start` (the default study) and `tsmpi bench …` (the benchmark
 * suite): the runtime never imports bench/; bin/tsmpi.js routes these here.
 */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "start") {
    const { runStart } = await import("./suite/start.ts");
    return runStart();
  }
  const { benchMain } = await import("./suite/cli.ts");
  return benchMain(rest);
}
