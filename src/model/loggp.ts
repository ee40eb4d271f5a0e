/**
 * The LogGOPS model, for checking the simulator against closed forms and
 * against LogGOPSim (Hoefler, Schneider, Lumsdaine, HPDC'10;
 * spcl/LogGOPSim `src/LogGOPSim/LogGOPSim.cpp`). It charges each *message*
 * by its payload size s, not by the frames a transport would cut it into:
 *
 * - send at t: starts at ts = max(t, CPU free, NIC-send free); the CPU is busy
 *   o + (s−1)·O, the NIC g + (s−1)·G; the message reaches the receiver at
 *   ts + o + L;
 * - arrival at a: starts at tr = max(a, CPU free, NIC-receive free); the NIC is
 *   busy g + (s−1)·G; the receive completes at tr + o + max((s−1)·O, (s−1)·G).
 *
 * A lone message therefore takes o + L + (s−1)·G + o. Messages above S bytes
 * go by rendezvous: the core's own request-to-send and clear-to-send frames
 * are charged as empty messages, so a rendezvous costs one extra round trip
 * (LogGOPSim itself does not model the handshake; its source says so).
 */
import { MpiError } from "../errors.ts";
import { type Resource, Resources } from "./resources.ts";

export interface LogGOPS {
  /** Wire latency, seconds. */
  readonly L: number;
  /** CPU overhead per message, seconds (send and receive alike). */
  readonly o: number;
  /** Gap between messages on the NIC, seconds. */
  readonly g: number;
  /** Gap per byte on the NIC, seconds per byte. */
  readonly G: number;
  /** CPU overhead per byte, seconds per byte. */
  readonly O: number;
  /** Eager/rendezvous threshold, payload bytes: a message of more than S bytes goes by rendezvous. */
  readonly S: number;
}

/** LogGOPSim's default threshold (domain-model §4, claim 11). */
export const LOGGOPSIM_DEFAULT_S = 65535;

const KEYS = ["L", "o", "g", "G", "O", "S"] as const;

/** Parses `loggp:L=10e-6,o=1e-6,g=0,G=1e-9[,O=0,S=65535]` (the part after `loggp:` or the whole string). */
export function parseLogGP(spec: string): LogGOPS {
  const body = spec.startsWith("loggp:") ? spec.slice(6) : spec;
  const values: Record<string, number> = { O: 0, S: LOGGOPSIM_DEFAULT_S };
  const usage = "write --model loggp:L=10e-6,o=1e-6,g=0,G=1e-9[,O=0,S=65535] (seconds, seconds per byte, bytes)";
  for (const part of body.split(",")) {
    if (part.trim() === "") continue;
    const eq = part.indexOf("=");
    const key = part.slice(0, eq).trim();
    const value = Number(part.slice(eq + 1));
    if (eq < 0 || !(KEYS as readonly string[]).includes(key))
      throw new MpiError("ERR_ARG", `--model ${spec}: "${part}" is not one of ${KEYS.join(", ")}; ${usage}`);
    if (!Number.isFinite(value) || value < 0)
      throw new MpiError("ERR_ARG", `--model ${spec}: ${key}=${part.slice(eq + 1)} must be a non-negative number; ${usage}`);
    values[key] = value;
  }
  for (const key of ["L", "o", "g", "G"]) {
    if (values[key] === undefined) throw new MpiError("ERR_ARG", `--model ${spec}: ${key} is missing; ${usage}`);
  }
  return values as unknown as LogGOPS;
}

/** Closed form: a lone message of s bytes, from the sender's call to the receive's completion. */
export function messageSeconds(p: LogGOPS, s: number): number {
  const extra = s > 0 ? s - 1 : 0;
  return p.o + p.L + p.o + extra * Math.max(p.G, p.O);
}

/** Per-rank timelines: CPU, NIC send, NIC receive (LogGOPSim's nexto, nextgs, nextgr). */
interface Host {
  readonly cpu: Resource;
  readonly tx: Resource;
  readonly rx: Resource;
}

export class LogGOPSCharger {
  readonly params: LogGOPS;
  private readonly hosts: Host[] = [];
  private readonly resources: Resources;

  constructor(params: LogGOPS, resources = new Resources()) {
    this.params = params;
    this.resources = resources;
  }

  private host(rank: number): Host {
    let h = this.hosts[rank];
    if (!h) {
      const r = this.resources;
      h = { cpu: r.get(`cpu@rank${rank}`), tx: r.get(`nic@rank${rank}.tx`), rx: r.get(`nic@rank${rank}.rx`) };
      this.hosts[rank] = h;
    }
    return h;
  }

  /** A message of `s` payload bytes sent by `src` at `t`: returns when it reaches `dst`. */
  send(src: number, t: number, s: number): number {
    const p = this.params;
    const h = this.host(src);
    const extra = s > 0 ? s - 1 : 0;
    const ts = whenBothFree(t, h.cpu, h.tx);
    h.cpu.serve(ts, p.o + extra * p.O);
    h.tx.serve(ts, p.g + extra * p.G);
    return ts + p.o + p.L;
  }

  /** The same message reaching `dst` at `a`: returns when its receive completes. */
  receive(dst: number, a: number, s: number): number {
    const p = this.params;
    const h = this.host(dst);
    const extra = s > 0 ? s - 1 : 0;
    const tr = whenBothFree(a, h.cpu, h.rx);
    h.rx.serve(tr, p.g + extra * p.G);
    return h.cpu.serve(tr, p.o + extra * Math.max(p.O, p.G));
  }
}

/** LogGOPSim starts a message when both the CPU and the NIC direction are free. */
function whenBothFree(t: number, cpu: Resource, nic: Resource): number {
  return Math.max(t, cpu.nextFree, nic.nextFree);
}
