/**
 * The matching contexts of one rank (each communicator has two: its
 * point-to-point side and its collective side), and copies of frames that
 * arrived for a context this rank has not created yet: a peer may finish
 * `dup` or `split` first and send on the new communicator at once.
 */
import { ANY_SOURCE } from "../api/constants.ts";
import { MpiError } from "../api/errors.ts";
import { MatchingContext, type PostedMatch } from "./matching.ts";

export interface EarlyFrame {
  worldSource: number;
  frame: Uint8Array;
}

export class Contexts<P extends PostedMatch> {
  private readonly byId = new Map<number, MatchingContext<P>>();
  private readonly early = new Map<number, EarlyFrame[]>();

  get(id: number): MatchingContext<P> | undefined {
    return this.byId.get(id);
  }

  values(): IterableIterator<MatchingContext<P>> {
    return this.byId.values();
  }

  /** Create a context; returns it and the frames that were waiting for it, to be delivered now in arrival order. */
  open(rank: number, id: number, size: number): { ctx: MatchingContext<P>; waiting: EarlyFrame[] } {
    if (this.byId.has(id)) throw new MpiError("ERR_INTERNAL", `rank ${rank}: context ${id} opened twice`);
    const ctx = new MatchingContext<P>(id, size);
    this.byId.set(id, ctx);
    const waiting = this.early.get(id) ?? [];
    this.early.delete(id);
    return { ctx, waiting };
  }

  /** The receives posted and not matched, one line each (deadlock reports). */
  describePosted(): string[] {
    const parts: string[] = [];
    for (const ctx of this.byId.values()) {
      for (const p of ctx.posted) parts.push(`recv(source ${p.source === ANY_SOURCE ? "ANY" : p.source}, tag ${p.tag}) on context ${ctx.id}`);
    }
    return parts;
  }

  /** Keep `frame` (an owned copy) until context `id` is created. */
  stash(id: number, worldSource: number, frame: Uint8Array): void {
    let list = this.early.get(id);
    if (!list) this.early.set(id, (list = []));
    list.push({ worldSource, frame });
  }
}
