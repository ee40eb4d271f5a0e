/**
 * The launcher <-> VM wire, owned by neither end: the launcher's control plane
 * (src/launcher/control-plane.ts) and a VM's client (src/bootstrap/
 * from-launcher.ts) both import it. Authentication is challenge-response with
 * HMAC-SHA256 over the per-job secret, both ways.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { PlacementTable } from "../placement/resolved.ts";
import type { TransportTable } from "../transport/registry.ts";

export function proof(secretHex: string, label: string, ...parts: string[]): string {
  const h = createHmac("sha256", Buffer.from(secretHex, "hex"));
  h.update(label);
  for (const p of parts) h.update(`|${p}`);
  return h.digest("hex");
}

export function sameProof(a: unknown, b: string): boolean {
  if (typeof a !== "string" || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** A rank thread's twice-a-second report for hang detection (src/launcher/hang-watch.ts). */
export interface Pulse {
  /** Frames this rank's core has handled, cumulative. */
  activity: number;
  /** Requests it is blocked on (inside an MPI call when > 0). */
  pending: number;
  /** What those requests wait for (core.describePending()). */
  waits: string;
  /** Outside MPI with an idle event loop and no timer that could wake it: awaiting something that never comes. */
  idle: boolean;
}

/** Messages from a VM once it is authenticated. */
export type ControlMessage =
  | { type: "kvs-put"; key: string; value: string }
  | { type: "kvs-get"; id: number; key: string }
  | { type: "rank"; rank: number; message: Uint8Array }
  | { type: "rank-exit"; rank: number; code: number }
  | { type: "output"; stream: "stdout" | "stderr"; line: string; rank?: number };

export interface VmStart {
  type: "start";
  vm: string;
  ranks: number[];
  size: number;
  program: string;
  args: string[];
  tagOutput: boolean;
  placement: PlacementTable;
  settings: Record<string, string>;
  spinMicroseconds: number;
  /** Count what every rank sends (`tsmpi profile`). */
  profile?: boolean;
  /** The transports the launcher registered (name, module URL, role): the VM registers the same. */
  transports: TransportTable;
  /** The launcher's control plane and the per-job secret. */
  control: { url: string; secret: string };
  /** Job-level transport options for this VM (job.secret, job.bind, prepareJob results). */
  jobOptions: Record<string, unknown>;
}

/** Launcher → VM over IPC. */
export type VmCommand = VmStart | { type: "finish" };
