/**
 * Prompt detection of mismatched collectives, always on (issue 16). Every
 * collective message carries its call's tag: the call's sequence number with
 * its signature (kind, root or forced algorithm, op: check.ts) above it. In a
 * program whose ranks agree, every message of call #k carries the same tag,
 * so a rank that sees two tags for one call number knows at once that ranks
 * called different collectives: a message arrives that no posted receive
 * takes, for a call this rank made with another tag (or for a call it has not
 * made yet, with another tag than an earlier message for that call), or this
 * rank makes a call whose number an earlier unreceived message carries with
 * another tag.
 *
 * The rank that sees it breaks the communicator's collectives and tells every
 * member with a notice (a message on the collective context with NOTICE_TAG,
 * a tag no call has); each member's pending and later collectives on that
 * communicator reject with ERR_COLL_MISMATCH naming both calls (api/comm.ts).
 *
 * Cost: a store and a load per call; per message nothing where a receive
 * was posted, a few integer operations where none was (the unexpected path).
 */
import { MpiError } from "../errors.ts";
import { describeTag, SEQUENCE_BITS, SEQUENCE_MASK } from "./check.ts";

/** The tag of a mismatch notice: above every call's tag (signatures have 16 bits, tags stay below 2^30). */
export const NOTICE_TAG = 2 ** (SEQUENCE_BITS + 16);

/** Calls remembered: a message more than this many calls behind this rank is not compared. */
const WINDOW = 64;
const HALF = (SEQUENCE_MASK + 1) / 2;

/** What a rank found: its own call's tag (or the first message's) and the differing message's. */
export interface Clash {
  mine: number;
  theirs: number;
  /** The rank (in the communicator) that sent the differing message, or -1 for this rank's own call. */
  from: number;
  /** The rank that sent the first message, when `mine` is a message's tag rather than this rank's call. */
  firstFrom: number;
}

export class CallGuard {
  /** Calls made so far, wrapped as call numbers are. */
  private calls = 0;
  /** The tag of each recent call, by call number mod WINDOW. */
  private readonly issued = new Int32Array(WINDOW).fill(-1);
  /** The first unreceived message's tag (and its sender) for a call not made yet, by call number mod WINDOW. */
  private readonly early = new Int32Array(WINDOW).fill(-1);
  private readonly earlyFrom = new Int32Array(WINDOW);

  /** This rank makes the call `tag`: a clash with a message that came for it first, if any. */
  issue(tag: number): Clash | undefined {
    const slot = this.calls & (WINDOW - 1);
    this.calls = (this.calls + 1) & SEQUENCE_MASK;
    this.issued[slot] = tag;
    const first = this.early[slot]!;
    if (first < 0 || ((first ^ tag) & SEQUENCE_MASK) !== 0) return undefined;
    this.early[slot] = -1;
    return first === tag ? undefined : { mine: tag, theirs: first, from: this.earlyFrom[slot]!, firstFrom: -1 };
  }

  /** A message tagged `tag` from `source` arrived and no posted receive took it: a clash, if any. */
  arrived(source: number, tag: number): Clash | undefined {
    const sequence = tag & SEQUENCE_MASK;
    const slot = sequence & (WINDOW - 1);
    const ahead = (sequence - this.calls) & SEQUENCE_MASK;
    if (ahead < HALF) {
      // A call this rank has not made yet: compare with the first message for it.
      const first = this.early[slot]!;
      if (first < 0 || ((first ^ tag) & SEQUENCE_MASK) !== 0) {
        this.early[slot] = tag;
        this.earlyFrom[slot] = source;
        return undefined;
      }
      return first === tag ? undefined : { mine: first, theirs: tag, from: source, firstFrom: this.earlyFrom[slot]! };
    }
    if (SEQUENCE_MASK + 1 - ahead > WINDOW) return undefined;
    const mine = this.issued[slot]!;
    return mine === tag ? undefined : { mine, theirs: tag, from: source, firstFrom: -1 };
  }
}

/** The error a rank that found `clash` rejects with, naming both calls. */
export function clashError(rank: number, contextId: number, clash: Clash): MpiError {
  const theirs = `rank ${clash.from} sent a message of ${describeTag(clash.theirs, "collective")}`;
  const what =
    clash.firstFrom < 0
      ? `rank ${rank} called ${describeTag(clash.mine, "collective")} where ${theirs}`
      : `rank ${clash.firstFrom} sent rank ${rank} a message of ${describeTag(clash.mine, "collective")} where ${theirs}`;
  return new MpiError(
    "ERR_COLL_MISMATCH",
    `${what} on context ${contextId}; every rank must call the same collectives in the same order, with the same root, op and algorithm`,
  );
}

/**
 * The error a member told of a mismatch by rank `from` rejects with: the
 * mismatch as `from` found it first (whichever rank's failure ends the job,
 * it names the calls that differ), then who was told.
 */
export function noticeError(rank: number, from: number, text: string): MpiError {
  return new MpiError("ERR_COLL_MISMATCH", `${text.replace(/^ERR_COLL_MISMATCH: /, "")} (rank ${rank} was told by rank ${from}, which found it)`);
}
