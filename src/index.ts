/** tsmpi: MPI-style message passing for TypeScript on Node.js. */
export { Comm, type Message, type Placement, type Status } from "./api/comm.ts";
export { ANY_SOURCE, ANY_TAG, PROC_NULL, TAG_UB, UNDEFINED } from "./api/constants.ts";
export { MpiError, type MpiErrorCode } from "./api/errors.ts";
export { Op } from "./api/op.ts";
export { Request, waitall, waitany } from "./api/request.ts";
export { launch, type LaunchOptions, type LaunchResult } from "./launcher/launch.ts";
export type { RankResult } from "./engine/program.ts";

/** Wall-clock time in seconds, high resolution (MPI_Wtime). */
export function wtime(): number {
  return performance.now() / 1000;
}
export { CartComm, dimsCreate } from "./api/cart.ts";
