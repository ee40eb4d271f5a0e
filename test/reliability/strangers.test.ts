// A stranger on every port the job listens on. TCP (control plane, bridges,
// every vf rank): first garbage, then a correct-looking handshake with the
// wrong secret — each is dropped and logged. UDP (the SLURPoE NIC): forged
// SEND/ACK/NAK frames — each dropped and counted, and nothing sent back. The
// job completes with the right answers.
import { randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";
import { fileURLToPath } from "node:url";
import { pack, unpack } from "msgpackr";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { launch } from "../../src/launcher/launch.ts";
import { generateMap, parseMapBy } from "../../src/placement/index.ts";
import { connectHandshake, Role } from "../../transports/stream/auth.ts";
import { parseAddress } from "../../transports/stream/options.ts";
import { UdpStranger } from "./udp-stranger.ts";

const steady = fileURLToPath(new URL("../launcher/programs/steady.ts", import.meta.url));

function open(address: string): Promise<Socket> {
  const { host, port } = parseAddress(address);
  return new Promise((resolve, reject) => {
    const s = connect({ host, port }, () => resolve(s));
    s.on("error", reject);
  });
}

/** Resolves true when the far end closes the socket within `ms`. */
function closedByPeer(s: Socket, ms = 7000): Promise<boolean> {
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      s.destroy();
      resolve(false);
    }, ms);
    s.on("error", () => {});
    s.on("close", () => {
      clearTimeout(t);
      resolve(true);
    });
    s.resume();
  });
}

async function garbage(address: string): Promise<boolean> {
  const s = await open(address);
  s.write(randomBytes(300));
  return closedByPeer(s);
}

async function wrongSecretStream(address: string, role: number): Promise<boolean> {
  const s = await open(address);
  const closed = closedByPeer(s);
  await connectHandshake(s, randomBytes(32).toString("hex"), { role, a: 0, b: role === Role.VF ? 1 : -1 }, 3000).catch(() => {});
  return closed;
}

function wrongSecretControl(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://${address}`);
    const t = setTimeout(() => {
      ws.terminate();
      resolve(false);
    }, 7000);
    ws.on("error", () => {});
    ws.on("message", (d) => {
      const m = unpack(d as Buffer) as { type: string };
      if (m.type === "challenge") ws.send(pack({ type: "auth", vm: "vm0", nonce: "00", proof: randomBytes(32).toString("hex") }));
    });
    ws.on("close", () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

describe("strangers", () => {
  it("drops and logs garbage and wrong-secret connections to every TCP port, and forged frames to every UDP port; the job completes", { timeout: 90_000 }, async () => {
    const endpoints: [string, string][] = [];
    const errors: string[] = [];
    const probes: Promise<[string, boolean, boolean]>[] = [];
    const sprays: Promise<void>[] = [];
    const udp = await UdpStranger.open();
    const np = 4;
    const done = launch({
      np,
      program: steady,
      args: ["60", "50"],
      placement: {
        ...generateMap({ np, hosts: 2, vmsPerHost: 1, mapBy: parseMapBy("block"), transport: "vf" }),
        // Ranks 0 and 2 go through the bridges and 1 and 3 through the NICs, so the job has bridges, NICs and vf listeners.
        overrides: [
          { ranks: [0, 2], transport: "bridged" },
          { ranks: [1, 3], transport: "slurpoe" },
        ],
      },
      onEndpoint: (name, address) => {
        endpoints.push([name, address]);
        if (name.startsWith("kvs slurpoe/")) {
          sprays.push(udp.spray(address, np, 2000));
          return;
        }
        const role = name.startsWith("bridge") ? Role.VM_TO_BRIDGE : Role.VF;
        const second = name === "control plane" ? () => wrongSecretControl(address) : () => wrongSecretStream(address, role);
        probes.push(
          (async (): Promise<[string, boolean, boolean]> => {
            const a = await garbage(address);
            const b = await second();
            return [name, a, b];
          })(),
        );
      },
      stdout: () => {},
      stderr: (l) => errors.push(l),
    });
    const r = await done;
    const results = await Promise.all(probes);
    await Promise.all(sprays);
    udp.close();
    expect(r.failure, errors.join("\n")).toBeUndefined();
    expect(r.ok).toBe(true);
    expect(r.ranks.every((x) => x.value === 60)).toBe(true);
    // control plane + 2 bridges + one vf listener per rank + one NIC per VM.
    expect(endpoints.map(([n]) => n).sort()).toEqual([
      "bridge host0",
      "bridge host1",
      "control plane",
      "kvs slurpoe/vm0",
      "kvs slurpoe/vm1",
      "kvs vf.0",
      "kvs vf.1",
      "kvs vf.2",
      "kvs vf.3",
    ]);
    for (const [name, a, b] of results) expect([name, a, b]).toEqual([name, true, true]);
    expect(udp.received).toBe(0);
    let strangers = 0;
    for (const rank of [1, 3]) strangers += r.stats?.ranks[rank]?.slurpoe?.["nic.strangers"] ?? 0;
    expect(strangers).toBeGreaterThan(udp.sent / 2);
    const dropped = errors.filter((l) => /dropped a connection/.test(l));
    expect(dropped.length, errors.join("\n")).toBeGreaterThanOrEqual(2 * results.length);
    expect(dropped.some((l) => /wrong job secret/.test(l))).toBe(true);
  });
});
