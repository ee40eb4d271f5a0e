/**
 * `tsmpi start` (the default study), `tsmpi bench …` (the benchmark suite)
 * and `tsmpi model calibrate|compare` (live runs against the simulator): the
 * runtime never imports bench/; bin/tsmpi.js routes these here.
 */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "start") {
    const { runStart } = await import("./suite/start.ts");
    return runStart();
  }
  if (command === "model") {
    const { modelBench } = await import("./model/cli.ts");
    return modelBench(rest);
  }
  if (command === "study") {
    const { studyMain } = await import("./placement/study/run.ts");
    return studyMain(rest);
  }
  const { benchMain } = await import("./suite/cli.ts");
  return benchMain(rest);
}
