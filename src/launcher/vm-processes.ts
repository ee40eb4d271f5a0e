/**
 * Starting VM processes. A VM process boots (Node, then its own modules)
 * and waits for its "start" message, so the launcher starts them first and
 * compiles the program, opens the control plane and prepares the transports
 * while they boot: on two cores a job's start-up is a chain of such waits,
 * and this takes the VMs' boot off it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { loaderArgs, MODULE_EXTENSION } from "../constants.ts";
import { vmEnvironment, vmV8Flags } from "./vm-options.ts";

const vmEntry = new URL(`../engine/live/vm-process${MODULE_EXTENSION}`, import.meta.url);

/** One VM process for `ranks` of a job of `np` ranks, waiting for its "start" message on the IPC channel (its rank threads load meanwhile). */
export function spawnVm(np: number, ranks: readonly number[]): ChildProcess {
  return spawn(process.execPath, [...vmV8Flags(np), ...loaderArgs(), vmEntry.pathname, `--ranks=${ranks.join(",")}`], {
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    serialization: "advanced",
    env: vmEnvironment(process.env),
  });
}

/** VM processes started before the job needs them; whatever the job did not take is stopped. */
export class EarlyVms {
  private readonly waiting = new Map<string, ChildProcess>();

  /** `vms`: each rank's VM. */
  constructor(vms: readonly string[], np: number) {
    const ranks = new Map<string, number[]>();
    vms.forEach((vm, rank) => {
      let list = ranks.get(vm);
      if (!list) ranks.set(vm, (list = []));
      list.push(rank);
    });
    for (const [vm, list] of ranks) {
      const child = spawnVm(np, list);
      // Until the job takes it, a failed start is only remembered (take() spawns afresh).
      child.on("error", () => {});
      this.waiting.set(vm, child);
    }
  }

  /** The booting process for `vm`, or undefined (none, or it already died: the caller spawns one and sees why). */
  take(vm: string): ChildProcess | undefined {
    const child = this.waiting.get(vm);
    this.waiting.delete(vm);
    if (!child || child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
      child?.kill("SIGKILL");
      return undefined;
    }
    return child;
  }

  /** Stop the processes nobody took (the program did not compile, the job could not start). */
  stop(): void {
    for (const child of this.waiting.values()) child.kill("SIGKILL");
    this.waiting.clear();
  }
}
