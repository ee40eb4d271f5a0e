/**
 * A VM of the live engine: one OS process (its own address space, as a real
 * VM has) whose ranks are worker threads sharing memory. It prepares the
 * transports' shared state, starts the rank threads, and reaches the
 * launcher's control plane over WebSocket (bootstrap/from-launcher.ts) to look up
 * addresses, report each rank's outcome and forward its output as whole
 * lines. The launcher's IPC channel carries only "start" and "finish"; if
 * the launcher goes away (IPC or control plane), the VM ends too: no orphans.
 */
import { serialize } from "node:v8";
import { RelayKeyValueStore } from "../../control/kvs.ts";
import { registerTable } from "../../transport/registry.ts";
import type { ControlMessage, VmCommand, VmStart } from "../../control/protocol.ts";
import type { ControlClient } from "../../bootstrap/from-launcher.ts";
import { prepareTransports, RankThreads } from "./rank-threads.ts";

/**
 * The ranks this VM runs, given by the launcher when it spawns it
 * (launcher/vm-processes.ts): their threads start loading the runtime at
 * once, and the control plane's client (ws, msgpackr) loads meanwhile,
 * while the launcher compiles the program and sends "start".
 */
const given = process.argv.find((a) => a.startsWith("--ranks="));
const prestarted = given ? new RankThreads(given.slice("--ranks=".length).split(",").map(Number)) : undefined;
const controlModule = import("../../bootstrap/from-launcher.ts");

let control: ControlClient | undefined;
let threads: RankThreads | undefined;

process.on("disconnect", () => {
  // The launcher is gone: end at once, threads and all.
  process.exit(1);
});

function send(m: ControlMessage): void {
  control!.send(m);
}

/**
 * Output backpressure: when the launcher reads slower than ranks print, what
 * this VM sent piles up in its socket; past HIGH bytes the rank threads'
 * output stops being drained (a rank that prints then blocks, output-ring.ts)
 * until the pile is below LOW. Estimates: a few MiB keeps the pipe full
 * without holding much.
 */
const OUTPUT_HIGH = 4 << 20;
const OUTPUT_LOW = 1 << 20;
let outputHeld: ReturnType<typeof setInterval> | undefined;

function sendOutput(m: ControlMessage): void {
  send(m);
  if (outputHeld || control!.buffered <= OUTPUT_HIGH) return;
  threads?.pauseOutput();
  outputHeld = setInterval(() => {
    if (control!.buffered > OUTPUT_LOW) return;
    clearInterval(outputHeld);
    outputHeld = undefined;
    threads?.resumeOutput();
  }, 10);
}

/** Lookups made by this process's own transports and its rank threads. */
const kvs = new RelayKeyValueStore((m) => send(m));

process.on("message", (m: VmCommand) => {
  if (m.type === "start")
    void start(m).catch((e) => {
      process.stderr.write(`tsmpi: VM ${m.vm} (process ${process.pid}) failed to start: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(1);
    });
  else if (m.type === "finish") void finish();
});

let finishing = false;

/** Every rank is done: the threads close their transports, output drains, then the VM exits. */
async function finish(): Promise<void> {
  finishing = true;
  await threads?.finish();
  await control?.close();
  process.stdout.write("", () => process.stderr.write("", () => process.exit(0)));
}

async function start(m: VmStart): Promise<void> {
  // The program was compiled with an inline source map: its errors name its own lines.
  process.setSourceMapsEnabled(true);
  const { ControlClient } = await controlModule;
  control = new ControlClient(
    m.control.url,
    m.control.secret,
    m.vm,
    (a) => kvs.answer(a),
    () => {
      if (!finishing) process.exit(1);
    },
  );
  // The handshake runs while the transports prepare and the threads start:
  // what they send meanwhile waits in the client's backlog until the launcher
  // has proved it knows the job secret.
  const ready = control.whenReady();
  registerTable(m.transports);
  const transportOptions: Record<string, unknown> = { ...m.jobOptions };
  await prepareTransports(m, String(m.jobOptions["job.bind"] ?? "127.0.0.1"), transportOptions, kvs);
  if (prestarted && prestarted.ranks.join() !== m.ranks.join()) throw new Error(`started for ranks ${prestarted.ranks.join()} but asked to run ${m.ranks.join()}`);
  threads = prestarted ?? new RankThreads(m.ranks);
  threads.begin(
    {
      size: m.size,
      program: m.program,
      args: m.args,
      placement: m.placement,
      transportOptions,
      spinMicroseconds: m.spinMicroseconds,
      settings: m.settings,
      transports: m.transports,
      profile: m.profile ?? false,
    },
    m.tagOutput,
    {
      output: (stream, line, rank) => sendOutput({ type: "output", stream, line, rank }),
      kvs,
      // Structured-clone bytes: the value main returned already crossed a thread boundary this way.
      report: (rank, message) => send({ type: "rank", rank, message: serialize(message) }),
      exited: (rank, code) => send({ type: "rank-exit", rank, code }),
    },
  );
  await ready;
}
