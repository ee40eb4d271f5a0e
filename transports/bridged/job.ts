/**
 * The bridged transport's job hook (runs in the launcher): starts one bridge
 * process per host whose VMs use `bridged`, wires the bridges to each other,
 * gives every VM its host bridge's address, and at the end collects the
 * bridges' counters and stops them. A bridge that dies mid-run ends the job,
 * named with the VMs and ranks it served.
 */
import * as setting from "./settings.ts";
import { type ChildProcess, spawn } from "node:child_process";
import { FRAME_HEADER_BYTES, type JobPlan, type JobPreparation } from "../../src/transport/contract.ts";
import type { BridgeReply, BridgeRequest } from "./bridge-process.ts";

const tsxLoader = import.meta.resolve("tsx");
const entry = new URL("./bridge-process.ts", import.meta.url);

interface Bridge {
  host: string;
  child: ChildProcess;
  address: string;
  stopping: boolean;
  exited: Promise<void>;
}

function waitFor<T extends BridgeReply["type"]>(child: ChildProcess, type: T, ms: number): Promise<Extract<BridgeReply, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no "${type}" from the bridge within ${ms} ms`)), ms);
    const onMessage = (m: BridgeReply): void => {
      if (m.type === type) done(undefined, m as Extract<BridgeReply, { type: T }>);
    };
    const onExit = (): void => done(new Error("the bridge exited"));
    const done = (e: Error | undefined, m?: Extract<BridgeReply, { type: T }>): void => {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
      if (e) reject(e);
      else resolve(m!);
    };
    child.on("message", onMessage);
    child.on("exit", onExit);
  });
}

export async function prepareJob(plan: JobPlan): Promise<JobPreparation> {
  const size = plan.size;
  const hostList: string[] = [];
  for (let a = 0; a < size; a++)
    for (let b = 0; b < size; b++) if (a !== b && plan.uses(a, b) && !hostList.includes(plan.hosts[a]!)) hostList.push(plan.hosts[a]!);
  const maxBody = setting.fragmentBytes.read(plan.settings) + Math.max(FRAME_HEADER_BYTES, setting.eagerLimit.read(plan.settings) + FRAME_HEADER_BYTES);
  const bridges: Bridge[] = [];
  const served = (host: string): string => {
    const vms = [...new Set(plan.vms.filter((_, r) => plan.hosts[r] === host))];
    const ranks = plan.hosts.map((h, r) => (h === host ? r : -1)).filter((r) => r >= 0);
    return `VMs ${vms.join(",")}, ranks ${ranks.join(",")}`;
  };
  for (let index = 0; index < hostList.length; index++) {
    const host = hostList[index]!;
    const child = spawn(process.execPath, ["--import", tsxLoader, entry.pathname], { stdio: ["ignore", "inherit", "pipe", "ipc"], serialization: "advanced" });
    let partial = "";
    child.stderr!.on("data", (c: Buffer) => {
      const lines = (partial + c.toString()).split("\n");
      partial = lines.pop()!;
      for (const l of lines) plan.log(l);
    });
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const bridge: Bridge = { host, child, address: "", stopping: false, exited };
    bridges.push(bridge);
    child.once("exit", (code, signal) => {
      if (bridge.stopping) return;
      plan.fail(
        `the bridge of host ${host} (process ${child.pid}, serving ${served(host)}) ${signal ? `was killed by ${signal}` : `exited with code ${code}`}`,
      );
    });
    child.on("error", (e) => plan.fail(`the bridge of host ${host} could not start: ${e.message}`));
    const start: BridgeRequest = {
      type: "start",
      host,
      index,
      hosts: [...plan.hosts],
      secret: plan.secret,
      bind: plan.bind,
      maxBody,
      // Estimates: 4 MiB per port models a few hundred MTU-sized ring slots' worth of dom0 buffering; the hold queue covers start-up races only.
      queueBytes: setting.queueBytes.read(plan.settings),
      holdBytes: setting.holdBytes.read(plan.settings),
      holdMs: setting.holdMs.read(plan.settings),
    };
    child.on("message", (m: BridgeReply) => {
      if (m.type === "failed") plan.fail(`the bridge of host ${host} (process ${child.pid}, serving ${served(host)}) ${m.why}`);
    });
    child.send(start);
  }
  const stopAll = (): void => {
    for (const b of bridges) {
      b.stopping = true;
      b.child.kill("SIGKILL");
    }
  };
  try {
    for (const b of bridges) b.address = (await waitFor(b.child, "listening", 15000)).address;
    const addresses = bridges.map((b) => b.address);
    for (const b of bridges) b.child.send({ type: "peers", addresses } satisfies BridgeRequest);
    for (const b of bridges) await waitFor(b.child, "ready", 15000);
  } catch (e) {
    stopAll();
    throw new Error(`bridged: could not start the bridges: ${(e as Error).message}`);
  }
  const options: Record<string, Record<string, unknown>> = {};
  for (let r = 0; r < size; r++) {
    const b = bridges.find((x) => x.host === plan.hosts[r]);
    if (b) options[plan.vms[r]!] = { "bridged.bridge": b.address };
  }
  return {
    options,
    processes: bridges.map((b) => ({ name: `bridge ${b.host}`, pid: b.child.pid ?? -1 })),
    endpoints: bridges.map((b) => ({ name: `bridge ${b.host}`, address: b.address })),
    async stop() {
      const stats: Record<string, Record<string, number>> = {};
      await Promise.all(
        bridges
          .map(async (b) => {
            b.stopping = true;
            if (b.child.connected) {
              try {
                const s = await waitFor(b.child, "stats", 2000);
                stats[`bridge ${b.host}`] = s.counters;
              } catch {
                // A bridge that cannot answer has nothing to report.
              }
            }
          })
          .map((p, i) => {
            const b = bridges[i]!;
            if (b.child.connected) b.child.send({ type: "stats" } satisfies BridgeRequest);
            return p;
          }),
      );
      for (const b of bridges) b.child.kill("SIGKILL");
      await Promise.all(bridges.map((b) => (b.child.exitCode !== null || b.child.signalCode !== null ? undefined : b.exited)));
      return stats;
    },
  };
}
