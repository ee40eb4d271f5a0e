/**
 * `tsmpi exec`: this process is one VM of a job that another launcher
 * started (mpiexec.hydra, srun). The bootstrap says which process it is and
 * where every process runs; the placement follows (one VM per process, K
 * ranks each, unless a map is given); the launcher's key-value store carries
 * the job secret and every endpoint address; the first process on each host
 * starts what the host needs (the bridge); an abort or a failing rank goes
 * through the launcher, which ends the whole job.
 *
 * Output goes straight to this process's stdout and stderr: the launcher
 * collects them.
 */
import { randomBytes } from "node:crypto";
import { networkInterfaces } from "node:os";
import { resolve as resolvePath } from "node:path";
import { detectBootstrap } from "../../bootstrap/detect.ts";
import type { JobBootstrap } from "../../bootstrap/job.ts";
import { Rendezvous } from "../../bootstrap/rendezvous.ts";
import { launcherDisagreements, mapFromLauncher, vmsInOrder } from "../../placement/launcher.ts";
import type { PlacementMap } from "../../placement/map.ts";
import { formatMap } from "../../placement/print.ts";
import { ResolvedPlacement } from "../../placement/resolved.ts";
import { transportTable } from "../../transport/registry.ts";
import { startHostServices } from "./host-services.ts";
import { prepareTransports, RankThreads } from "./rank-threads.ts";
import { spinMicroseconds } from "./spin.ts";

export interface ExecOptions {
  program: string;
  args: string[];
  /** Ranks in each launched process (threads of one VM, joined by shared memory). */
  ranksPerProcess: number;
  /** Transport between VMs when no map is given (default vf). */
  transport?: string;
  /** The user's own map: one VM per launched process, in map order. */
  placement?: PlacementMap;
  printMap: boolean;
  tagOutput: boolean;
  settings: Record<string, string>;
  /** Address listeners bind to (default: loopback on one node, this node's address across several). */
  bind?: string;
}

const SECRET_KEY = "tsmpi.secret";

/** This node's first non-loopback IPv4 address: where peers on other nodes can reach it. */
function nodeAddress(): string {
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === "IPv4" && !a.internal) return a.address;
  return "127.0.0.1";
}

function line(stream: NodeJS.WriteStream, text: string): void {
  stream.write(`${text}\n`);
}

/** Runs this process's share of the job; resolves with the exit code once the job is over here. */
export async function exec(o: ExecOptions): Promise<number> {
  let job: JobBootstrap | undefined;
  let failing: Promise<number> | undefined;
  const fail = (why: string, code = 1): Promise<number> => {
    failing ??= (async () => {
      line(process.stderr, `tsmpi: ${why}`);
      // The launcher prints the message on one line; the stack went to stderr above.
      await job?.abort(code, why.split("\n")[0]!);
      return code;
    })();
    return failing;
  };
  try {
    job = await detectBootstrap();
    if (job.rank === 0) await job.put(SECRET_KEY, randomBytes(32).toString("hex"));
    // The first fence: every process's node name, and the secret.
    const hosts = await job.hosts();
    const secret = await job.get(SECRET_KEY);
    const map = o.placement ?? mapFromLauncher(hosts, o.ranksPerProcess, o.transport ?? "vf");
    const warnings = o.placement ? launcherDisagreements(map, hosts) : [];
    const vms = vmsInOrder(map);
    const np = vms.reduce((n, v) => n + v.ranks.length, 0);
    const table = ResolvedPlacement.fromMap(map, np).table;
    if (job.rank === 0) {
      if (o.printMap) line(process.stdout, formatMap(table));
      for (const w of warnings) line(process.stderr, `tsmpi: warning: the launcher disagrees with the map: ${w}`);
    }
    const me = vms[job.rank]!;
    const bind = o.bind ?? (new Set(hosts).size === 1 ? "127.0.0.1" : nodeAddress());
    const kvs = new Rendezvous(job);
    const transportOptions: Record<string, unknown> = { "job.secret": secret, "job.bind": bind };
    const services = await startHostServices({
      process: job.rank,
      hosts: vms.map((v) => v.host),
      table,
      settings: o.settings,
      secret,
      bind,
      kvs,
      log: (text) => line(process.stderr, text),
      fail: (why) => void fail(why),
    });
    Object.assign(transportOptions, services.options);
    const plan = { vm: me.vm, ranks: me.ranks, size: np, placement: table, settings: o.settings };
    await prepareTransports(plan, bind, transportOptions, kvs);

    let opened = 0;
    let done = 0;
    let finished: (code: number) => void = () => {};
    const over = new Promise<number>((r) => (finished = r));
    const doneRanks = new Set<number>();
    const threads = new RankThreads(me.ranks);
    threads.begin(
      {
        size: np,
        program: o.program.startsWith("file:") ? o.program : resolvePath(o.program),
        args: o.args,
        placement: table,
        transportOptions,
        spinMicroseconds: spinMicroseconds(np),
        settings: o.settings,
        transports: transportTable(),
      },
      o.tagOutput,
      {
        output: (stream, text) => line(stream === "stdout" ? process.stdout : process.stderr, text),
        kvs,
        report: (rank, m) => {
          if (m.type === "opened" && ++opened === me.ranks.length) kvs.startupDone();
          else if (m.type === "done") {
            doneRanks.add(rank);
            if (++done === me.ranks.length) finished(0);
          } else if (m.type === "failed") void fail(`rank ${rank} failed: ${m.error}`).then(finished);
          else if (m.type === "abort") void fail(`rank ${rank} called abort(${m.code})`, m.code || 1).then(finished);
        },
        exited: (rank, code) => {
          if (!doneRanks.has(rank)) void fail(`rank ${rank} (VM ${me.vm}) exited with code ${code} before its main finished`).then(finished);
        },
      },
    );
    const code = await over;
    if (code !== 0) return code;
    // Every rank of the job must be done before any closes its transports: peers may still drain.
    await kvs.settled();
    await job.fence();
    await threads.finish();
    await services.stop();
    await job.finalize();
    return 0;
  } catch (e) {
    return fail(`process ${job?.rank ?? "?"} could not run its share of the job: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
}
