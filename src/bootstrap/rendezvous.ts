/**
 * tsmpi's rendezvous (a `get` that waits until someone puts the key) over a
 * PMI store, where a key becomes visible only after a collective fence.
 *
 * Transports publish and look up addresses at start-up in an order of their
 * own (slurpoe looks up what other VMs published before their ranks open;
 * vf publishes when a rank opens and looks up on first send). So instead of
 * one fence at a fixed point, every process runs fence epochs: before each
 * fence it publishes whether it is *settled* (its start-up is over and no
 * lookup waits); after the fence it answers waiting lookups and reads every
 * process's flag. All read the same flags, so all stop after the same epoch,
 * the first in which everyone was settled. A lookup after that either finds
 * its key or fails at once: nobody can publish any more.
 */
import { MpiError } from "../errors.ts";
import type { JobBootstrap } from "./job.ts";

const SETTLED = "tsmpi.settled";
/** Pause between epochs while nothing changed locally: fences are round trips through the launcher. */
const EPOCH_PAUSE_MS = 20;
/** A lookup nobody answers in this long fails, rather than holding the job in start-up for ever. */
const PATIENCE_MS = 60_000;

export class Rendezvous {
  private readonly job: JobBootstrap;
  private readonly waiting = new Map<string, { resolve: (v: string) => void; reject: (e: Error) => void }[]>();
  private startupOver = false;
  private finished = false;
  private epoch = 0;
  private nudge: (() => void) | undefined;
  private readonly done: Promise<void>;

  constructor(job: JobBootstrap) {
    this.job = job;
    this.done = this.loop();
    this.done.catch(() => {});
  }

  async put(key: string, value: string): Promise<void> {
    if (this.finished)
      throw new MpiError("ERR_INTERNAL", `rank ${this.job.rank}, put ${key}: every process has finished start-up, so nobody would see it; publish addresses while transports open`);
    await this.job.put(key, value);
    this.nudge?.();
  }

  async get(key: string): Promise<string> {
    if (this.finished) return this.job.get(key);
    const found = this.epoch > 0 ? await this.tryGet(key) : undefined;
    if (found !== undefined) return found;
    return new Promise((resolve, reject) => {
      const list = this.waiting.get(key) ?? [];
      const timer = setTimeout(() => {
        const left = (this.waiting.get(key) ?? []).filter((w) => w !== entry);
        if (left.length > 0) this.waiting.set(key, left);
        else this.waiting.delete(key);
        reject(new MpiError("ERR_TRANSPORT", `rank ${this.job.rank}: nobody published ${JSON.stringify(key)} within ${PATIENCE_MS / 1000} s of start-up; a process of the job failed to open its transports (see its output)`));
        this.nudge?.();
      }, PATIENCE_MS);
      const entry = {
        resolve: (v: string) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e: Error) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      list.push(entry);
      this.waiting.set(key, list);
      this.nudge?.();
    });
  }

  /** This process will publish nothing more (its ranks' transports are open). */
  startupDone(): void {
    this.startupOver = true;
    this.nudge?.();
  }

  /** Resolves once every process has finished start-up and every lookup was answered. */
  settled(): Promise<void> {
    return this.done;
  }

  /** Epochs the job needed (for tests and logs). */
  get epochs(): number {
    return this.epoch;
  }

  private async tryGet(key: string): Promise<string | undefined> {
    try {
      return await this.job.get(key);
    } catch (e) {
      if (e instanceof MpiError && e.code === "ERR_ARG") return undefined;
      throw e;
    }
  }

  private async loop(): Promise<void> {
    try {
      // Let the caller's synchronous start-up (puts, startupDone) count in epoch 0.
      await new Promise((r) => setImmediate(r));
      for (;;) {
        // Wait for something to change, or a while, so fences do not spin.
        if (this.epoch > 0 && !(this.startupOver && this.waiting.size === 0))
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, EPOCH_PAUSE_MS);
            this.nudge = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        this.nudge = undefined;
        const settled = this.startupOver && this.waiting.size === 0;
        await this.job.put(`${SETTLED}.${this.epoch}.${this.job.rank}`, settled ? "1" : "0");
        await this.job.fence();
        this.epoch++;
        for (const [key, list] of [...this.waiting]) {
          const v = await this.tryGet(key);
          if (v === undefined) continue;
          this.waiting.delete(key);
          for (const w of list) w.resolve(v);
        }
        const flags = await Promise.all(Array.from({ length: this.job.size }, (_, r) => this.job.get(`${SETTLED}.${this.epoch - 1}.${r}`)));
        if (flags.every((f) => f === "1")) break;
      }
      this.finished = true;
    } catch (e) {
      this.finished = true;
      for (const list of this.waiting.values()) for (const w of list) w.reject(e as Error);
      this.waiting.clear();
      throw e;
    }
  }
}
