/** Matches a message from any rank (MPI_ANY_SOURCE). */
export const ANY_SOURCE = -1;
/** Matches a message with any user tag (MPI_ANY_TAG); never matches internal traffic. */
export const ANY_TAG = -1;
/** A peer that does not exist: sends and receives to it complete at once (MPI_PROC_NULL). */
export const PROC_NULL = -2;
/** The colour that opts a rank out of `split` (MPI_UNDEFINED). */
export const UNDEFINED = -32766;
/** Largest user tag. Tags travel as signed 32-bit integers; negative values are reserved. */
export const TAG_UB = 0x7fffffff;
