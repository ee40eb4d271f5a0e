// Two connected NIC engines driven by hand (no threads, no sockets), for the
// engine's tests: frames are carried across until the wire is quiet.
import { type EngineSide, enginePair, pairPort } from "../../../transports/slurpoe/engine-pair.ts";
import type { HostQueues } from "../../../transports/slurpoe/verbs.ts";

export type Side = EngineSide;

export function pair(settings: Record<string, string> = {}) {
  const cheap = { "nic.descriptorUs": "0", "nic.frameUs": "0", "nic.doorbellNicUs": "0", "nic.descriptorFetchUs": "0", "nic.dmaSetupUs": "0", ...settings };
  const [a, b] = enginePair(cheap);
  /** Carry frames both ways until the wire is quiet; `drop` may lose some. */
  const exchange = (drop: (frame: Uint8Array, n: number) => boolean = () => false): void => {
    let n = 0;
    for (let round = 0; round < 1000 && (a.out.length || b.out.length); round++) {
      for (const [from, to, port] of [
        [a, b, pairPort(0)],
        [b, a, pairPort(1)],
      ] as const) {
        for (const f of from.out.splice(0)) if (!drop(f, n++)) to.nic.receive(f, port, "127.0.0.1");
      }
    }
  };
  return { a, b, exchange };
}

export function completions(host: HostQueues): { type: number; a: number; b: number; c: number }[] {
  const list: { type: number; a: number; b: number; c: number }[] = [];
  host.poll((type, _peer, a, b, c) => list.push({ type, a, b, c }));
  return list;
}

