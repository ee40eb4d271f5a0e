/** The shared-memory transport's settings. */
import { booleanSetting, integerSetting } from "../../src/settings/registry.ts";

export const ringBytes = integerSetting({
  key: "shm.ringBytes",
  owner: "shm",
  defaultText: "2 MiB up to 4 ranks per VM, 1 MiB up to 8, 256 KiB above",
  min: 4096,
  max: 1 << 30,
  unit: "bytes",
  doc: "size of each rank-to-rank ring (a power of two is not required)",
});
export const singleCopy = booleanSetting({
  key: "shm.singleCopy",
  owner: "shm",
  default: true,
  doc: "copy large messages once, straight from the sender's buffer (needs the native helper)",
});

export const shmSettings = [ringBytes, singleCopy];
