/** tsmpi: MPI-style message passing for TypeScript on Node.js. */
import { currentClock } from "./core/clock.ts";
export { Comm, type Placement } from "./api/comm.ts";
export type { Message, Status } from "./api/messages.ts";
export { ANY_SOURCE, ANY_TAG, PROC_NULL, TAG_UB, UNDEFINED } from "./constants.ts";
export { MpiError, type MpiErrorCode } from "./errors.ts";
export { Op } from "./coll/op.ts";
export { Request, waitall, waitany } from "./core/request.ts";
export { launch, type LaunchOptions, type LaunchResult } from "./launcher/launch.ts";
export type { RankResult } from "./engine/program.ts";

/** Seconds on the running rank's clock (MPI_Wtime): the wall clock live, virtual time in the simulator. */
export function wtime(): number {
  return currentClock().now();
}
export { CartComm } from "./api/comm.ts";
export { dimsCreate } from "./api/grid.ts";
