/** tsmpi: MPI-style message passing for TypeScript on Node.js. */
export { Comm, type Message, type Placement, type Status } from "./api/comm.ts";
export { ANY_SOURCE, ANY_TAG, PROC_NULL, TAG_UB, UNDEFINED } from "./api/constants.ts";
export { MpiError, type MpiErrorCode } from "./api/errors.ts";
export { Op } from "./api/op.ts";
export { Request, waitall, waitany } from "./api/request.ts";
import { now as clockNow } from "./core/clock.ts";
export { launch, type LaunchOptions, type LaunchResult } from "./launcher/launch.ts";
export type { RankResult } from "./engine/program.ts";

/** Time in seconds, high resolution (MPI_Wtime): wall time live, the rank's virtual time in the simulator. */
export function wtime(): number {
  return clockNow();
}
export { CartComm, dimsCreate } from "./api/cart.ts";
