/**
 * The bridged transport's job hook (runs in the launcher): starts one bridge
 * process per host whose VMs use `bridged`, wires the bridges to each other,
 * gives every VM its host bridge's address, and at the end collects the
 * bridges' counters and stops them. A bridge that dies mid-run ends the job,
 * named with the VMs and ranks it served.
 */
import { loaderArgs, MODULE_EXTENSION } from "../../src/constants.ts";
import * as setting from "./settings.ts";
import { type ChildProcess, spawn } from "node:child_process";
import { FRAME_HEADER_BYTES, type JobPlan, type JobPreparation } from "../../src/transport/contract.ts";
import type { BridgeReply, BridgeRequest } from "./bridge-process.ts";

const entry = new URL(`./bridge-process${MODULE_EXTENSION}`, import.meta.url);

export interface Bridge {
  host: string;
  child: ChildProcess;
  address: string;
  stopping: boolean;
  exited: Promise<void>;
}

export function waitFor<T extends BridgeReply["type"]>(child: ChildProcess, type: T, ms: number): Promise<Extract<BridgeReply, { type: T }>> {
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

/** Hosts that need a bridge (a rank there uses `bridged` with some peer), in rank order: a bridge's index is its place here. */
export function bridgedHosts(size: number, hosts: readonly string[], uses: (a: number, b: number) => boolean): string[] {
  const list: string[] = [];
  for (let a = 0; a < size; a++) for (let b = 0; b < size; b++) if (a !== b && uses(a, b) && !list.includes(hosts[a]!)) list.push(hosts[a]!);
  return list;
}

/** What a bridge is started with, beyond its host and index. */
export type BridgePlan = Pick<JobPlan, "size" | "hosts" | "vms" | "settings" | "secret" | "bind" | "log" | "fail">;

/** Starts the bridge of one host; its death before `stopping` is set ends the job through `plan.fail`. */
export function startBridge(plan: BridgePlan, host: string, index: number): Bridge {
  const maxBody = setting.fragmentBytes.read(plan.settings) + Math.max(FRAME_HEADER_BYTES, setting.eagerLimit.read(plan.settings) + FRAME_HEADER_BYTES);
  const served = (): string => {
    const vms = [...new Set(plan.vms.filter((_, r) => plan.hosts[r] === host))];
    const ranks = plan.hosts.map((h, r) => (h === host ? r : -1)).filter((r) => r >= 0);
    return `VMs ${vms.join(",")}, ranks ${ranks.join(",")}`;
  };
  const child = spawn(process.execPath, [...loaderArgs(), entry.pathname], { stdio: ["ignore", "inherit", "pipe", "ipc"], serialization: "advanced" });
  let partial = "";
  child.stderr!.on("data", (c: Buffer) => {
    const lines = (partial + c.toString()).split("\n");
    partial = lines.pop()!;
    for (const l of lines) plan.log(l);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const bridge: Bridge = { host, child, address: "", stopping: false, exited };
  child.once("exit", (code, signal) => {
    if (bridge.stopping) return;
    plan.fail(`the bridge of host ${host} (process ${child.pid}, serving ${served()}) ${signal ? `was killed by ${signal}` : `exited with code ${code}`}`);
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
    if (m.type === "failed") plan.fail(`the bridge of host ${host} (process ${child.pid}, serving ${served()}) ${m.why}`);
  });
  child.send(start);
  return bridge;
}

/** Asks each bridge for its counters, then stops them all. */
export async function stopBridges(bridges: readonly Bridge[]): Promise<Record<string, Record<string, number>>> {
  const stats: Record<string, Record<string, number>> = {};
  await Promise.all(
    bridges.map(async (b) => {
      b.stopping = true;
      if (!b.child.connected) return;
      const answer = waitFor(b.child, "stats", 2000);
      b.child.send({ type: "stats" } satisfies BridgeRequest);
      try {
        stats[`bridge ${b.host}`] = (await answer).counters;
      } catch {
        // A bridge that cannot answer has nothing to report.
      }
    }),
  );
  // A goodbye to the other bridges first, so none reports this one as gone; then no waiting past a second.
  for (const b of bridges) if (b.child.connected) b.child.send({ type: "stop" } satisfies BridgeRequest);
  const gone = (b: Bridge): boolean => b.child.exitCode !== null || b.child.signalCode !== null;
  await Promise.race([Promise.all(bridges.map((b) => (gone(b) ? undefined : b.exited))), new Promise((r) => setTimeout(r, 1000))]);
  for (const b of bridges) if (!gone(b)) b.child.kill("SIGKILL");
  await Promise.all(bridges.map((b) => (gone(b) ? undefined : b.exited)));
  return stats;
}

export async function prepareJob(plan: JobPlan): Promise<JobPreparation> {
  const size = plan.size;
  const bridges = bridgedHosts(size, plan.hosts, plan.uses).map((host, index) => startBridge(plan, host, index));
  const stopAll = (): void => {
    for (const b of bridges) {
      b.stopping = true;
      b.child.kill("SIGKILL");
    }
  };
  try {
    // Listen to every bridge at once: one that answers while an earlier one is still awaited must not be missed.
    const listening = await Promise.all(bridges.map((b) => waitFor(b.child, "listening", 15000)));
    listening.forEach((m, i) => {
      bridges[i]!.address = m.address;
    });
    const addresses = bridges.map((b) => b.address);
    const ready = Promise.all(bridges.map((b) => waitFor(b.child, "ready", 15000)));
    for (const b of bridges) b.child.send({ type: "peers", addresses } satisfies BridgeRequest);
    await ready;
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
    stop: () => stopBridges(bridges),
  };
}
