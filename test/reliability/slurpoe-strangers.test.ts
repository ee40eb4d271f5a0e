// A stranger on loopback sprays forged SLURPoE SEND, ACK and NAK frames (10^4
// of each per NIC, before the job's first frame and again while it runs) at
// every NIC of a job. The job completes with the right answers, at most 2x
// slower than the same job undisturbed (measured in this run), the stranger
// receives not one byte, and the NICs count the drops.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { launch, type LaunchResult } from "../../src/launcher/launch.ts";
import { generateMap, parseMapBy } from "../../src/placement/index.ts";
import { UdpStranger } from "./udp-stranger.ts";

const exchange = fileURLToPath(new URL("./programs/exchange.ts", import.meta.url));
const np = 4;
const ROUNDS = "150";
const PER_KIND = 10_000;

function job(onEndpoint?: (name: string, address: string) => void, onStarted?: () => void): Promise<LaunchResult> {
  const lines: string[] = [];
  return launch({
    np,
    program: exchange,
    args: [ROUNDS],
    placement: generateMap({ np, hosts: 2, vmsPerHost: 1, mapBy: parseMapBy("block"), transport: "slurpoe" }),
    onEndpoint,
    stdout: (l) => {
      lines.push(l);
      if (l === "started 0") onStarted?.();
    },
    stderr: (l) => lines.push(l),
  }).then((r) => {
    if (!r.ok) throw new Error(`${r.failure}\n${lines.join("\n")}`);
    return r;
  });
}

/** One NIC counter per VM (every rank of a VM reports its NIC's), summed over VMs. */
function nicTotal(r: LaunchResult, counter: string): number {
  const perVm = new Map<number, number>();
  for (const [rank, t] of Object.entries(r.stats?.ranks ?? {})) perVm.set(Math.floor(Number(rank) / 2), t.slurpoe?.[`nic.${counter}`] ?? 0);
  return [...perVm.values()].reduce((a, b) => a + b, 0);
}

describe("SLURPoE against a stranger on loopback", () => {
  it("completes, right and at most 2x slower, while forged SEND/ACK/NAK frames rain on every NIC; the stranger gets nothing", async () => {
    const quiet = await job();
    const stranger = await UdpStranger.open();
    const sprays: Promise<void>[] = [];
    const nics: string[] = [];
    const disturbed = await job(
      (name, address) => {
        if (!name.startsWith("kvs slurpoe/")) return;
        nics.push(address);
        // Before: the moment the NIC is announced, ahead of the ranks connecting their queue pairs.
        sprays.push(stranger.spray(address, np, PER_KIND));
      },
      // During: once every rank is through its first barrier and the traffic runs.
      () => {
        for (const address of nics) sprays.push(stranger.spray(address, np, PER_KIND));
      },
    );
    await Promise.all(sprays);
    await new Promise((r) => setTimeout(r, 200));
    stranger.close();
    expect(nics).toHaveLength(2);
    expect(disturbed.ranks.map((x) => x.value)).toEqual(Array(np).fill(Number(ROUNDS)));
    expect(stranger.sent).toBe(2 * 2 * 3 * PER_KIND);
    expect(stranger.received).toBe(0);
    // Loopback may lose some of a burst in the socket buffer; most arrive, and each one that does is a counted stranger.
    const strangers = nicTotal(disturbed, "strangers");
    expect(strangers).toBeGreaterThan(stranger.sent / 2);
    expect(strangers).toBeLessThanOrEqual(stranger.sent);
    // Frames naming another VM's queue pairs are refused by their QP number, the rest by their tag.
    expect(nicTotal(disturbed, "rejected.tag")).toBeGreaterThan(0);
    expect(nicTotal(disturbed, "rejected.tag") + nicTotal(disturbed, "rejected.qpn")).toBe(strangers);
    if (process.env.RELIABILITY_VERBOSE) console.log({ quiet: quiet.seconds, disturbed: disturbed.seconds, strangers });
    expect(nicTotal(quiet, "strangers")).toBe(0);
    expect(disturbed.seconds, `undisturbed ${quiet.seconds.toFixed(2)} s, disturbed ${disturbed.seconds.toFixed(2)} s`).toBeLessThanOrEqual(2 * quiet.seconds);
  }, 180_000);
});
