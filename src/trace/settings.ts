/** Where a run's trace goes (both engines). */
import { type Setting, stringSetting } from "../settings/registry.ts";

export const traceSetting = stringSetting({
  key: "trace.file",
  owner: "trace",
  unit: "path",
  flag: "trace",
  doc: "write a Chrome trace-event JSON (opens in Perfetto): a track per rank, slices per call and compute burst, an arrow per message, counters per shared resource",
});

export const traceSettings: readonly Setting[] = [traceSetting];
