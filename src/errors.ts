/**
 * Every failure a program can see is an MpiError with a stable `code`, so that
 * callers can branch on it the way MPI programs branch on error classes.
 */
export type MpiErrorCode =
  | "ERR_RANK"
  | "ERR_TAG"
  | "ERR_COUNT"
  | "ERR_TRUNCATE"
  | "ERR_ARG"
  | "ERR_OP"
  | "ERR_COMM"
  | "ERR_TYPE"
  | "ERR_ROOT"
  | "ERR_ABORTED"
  | "ERR_TRANSPORT"
  | "ERR_DEADLOCK"
  /** Ranks called different collectives, or one collective with different roots, ops or counts (`--check-collectives`). */
  | "ERR_COLL_MISMATCH"
  /** The job ran past `--timeout`. */
  | "ERR_TIMEOUT"
  /** A message's bytes could not be encoded or decoded (a value msgpack cannot carry, a corrupt payload). */
  | "ERR_PAYLOAD"
  | "ERR_PLACEMENT"
  | "ERR_SETTING"
  | "ERR_INTERNAL";

export class MpiError extends Error {
  readonly code: MpiErrorCode;
  constructor(code: MpiErrorCode, message: string, options?: { cause?: unknown }) {
    super(`${code}: ${message}`, options);
    this.name = "MpiError";
    this.code = code;
  }
}

/** Builds the message shape every error uses: who, which call, what to do. */
export function mpiError(code: MpiErrorCode, rank: number, call: string, problem: string, fix: string): MpiError {
  return new MpiError(code, `rank ${rank}, ${call}: ${problem}; ${fix}`);
}
