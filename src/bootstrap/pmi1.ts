/**
 * A PMI-1 client, as MPICH's simple PMI speaks it to Hydra (`PMI_FD`, or
 * `PMI_PORT` + `PMI_ID` with `-pmi-port`) and to Slurm's pmi2 plugin.
 *
 * In port mode the environment carries no rank or size: they arrive as
 * `cmd=set size=…`, `rank=…`, `debug=…` lines after `cmd=initack`
 * (../shared/research/simulation-mapping-launchers.md §C.2).
 */
import { MpiError } from "../errors.ts";
import type { Env } from "./job.ts";
import type { PmiClient } from "./pmi-job.ts";
import { PmiSocket } from "./pmi-socket.ts";
import { encodePmi1, expectSuccess, field, returnCode } from "./pmi-wire.ts";

function envNumber(env: Env, name: string): number {
  const v = env[name];
  const n = Number(v);
  if (v === undefined || v === "" || !Number.isInteger(n) || n < 0)
    throw new MpiError("ERR_ARG", `PMI-1: ${name}=${v ?? "(unset)"} is not a non-negative integer; start the program under mpiexec or srun --mpi=pmi2`);
  return n;
}

/** Splits `host:port` (the host may itself hold colons, as an IPv6 address does). */
export function parsePmiPort(text: string): { host: string; port: number } {
  const colon = text.lastIndexOf(":");
  const port = Number(text.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535)
    throw new MpiError("ERR_ARG", `PMI-1: PMI_PORT=${text} is not host:port; start the program under mpiexec -pmi-port`);
  return { host: text.slice(0, colon).replace(/^\[(.*)\]$/, "$1"), port };
}

/**
 * Says why on stderr, then gives the launcher's forwarding a moment: Hydra
 * kills the job on abort and lost a line written just before (measured).
 */
export async function announceAbort(socket: PmiSocket, rank: number, code: number, message: string): Promise<void> {
  socket.onLost = undefined;
  process.stderr.write(`tsmpi: rank ${rank} aborts the job (exit code ${code}): ${message}\n`);
  await new Promise((r) => setTimeout(r, 200));
}

/** Waits for the launcher to end us after an abort, or gives up after `ms`. */
export function awaitEnd(socket: PmiSocket, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    socket.next().then(
      () => {},
      () => {
        clearTimeout(timer);
        resolve();
      },
    );
  });
}

async function portHandshake(socket: PmiSocket, id: string): Promise<{ rank: number; size: number }> {
  await socket.request(encodePmi1("initack", { pmiid: id }), "initack");
  const set: Record<string, string> = {};
  for (let i = 0; i < 3; i++) {
    const m = await socket.next();
    if (m.cmd !== "set") throw new MpiError("ERR_INTERNAL", `PMI-1: expected cmd=set after initack, got cmd=${m.cmd}; the process manager speaks another PMI`);
    for (const [k, v] of m.fields) set[k] = v;
  }
  return { rank: envNumber(set, "rank"), size: envNumber(set, "size") };
}

export async function connectPmi1(env: Env, onLost?: (why: string) => void): Promise<PmiClient> {
  let socket: PmiSocket;
  let rank: number;
  let size: number;
  if (env.PMI_FD !== undefined) {
    socket = PmiSocket.fromFd(envNumber(env, "PMI_FD"));
    rank = envNumber(env, "PMI_RANK");
    size = envNumber(env, "PMI_SIZE");
  } else if (env.PMI_PORT !== undefined) {
    const { host, port } = parsePmiPort(env.PMI_PORT);
    socket = await PmiSocket.connect(host, port);
    ({ rank, size } = await portHandshake(socket, env.PMI_ID ?? String(envNumber(env, "PMI_ID"))));
  } else throw new MpiError("ERR_ARG", "PMI-1: neither PMI_FD nor PMI_PORT is set; start the program under mpiexec or srun --mpi=pmi2");
  socket.onLost = onLost;

  const ask = async (cmd: string, expect: string, fields: Record<string, string | number> = {}) =>
    expectSuccess(await socket.request(encodePmi1(cmd, fields), expect), rank, cmd);
  await ask("init", "response_to_init", { pmi_version: 1, pmi_subversion: 1 });
  const maxes = await ask("get_maxes", "maxes");
  const kvsname = field(await ask("get_my_kvsname", "my_kvsname"), "kvsname");
  // The maxima count C buffers, terminating NUL included. Slurm also reads a
  // whole PMI-1 request into a buffer of vallen_max bytes, so a put line,
  // not just its value, must fit there.
  const maxKey = Number(field(maxes, "keylen_max")) - 1;
  const longestPut = encodePmi1("put", { kvsname, key: "k".repeat(maxKey), value: "" }).length;
  const maxValue = Number(field(maxes, "vallen_max")) - 1 - longestPut;
  const rawGet = async (key: string) => {
    const reply = await socket.request(encodePmi1("get", { kvsname, key }), "get_result");
    // Hydra answers a missing key with rc=-1, Slurm with rc=1: any non-zero is "not found".
    return returnCode(reply) === 0 ? field(reply, "value") : undefined;
  };

  return {
    kind: "pmi1",
    rank,
    size,
    maxKey,
    maxValue,
    put: async (key, value) => {
      await ask("put", "put_result", { kvsname, key, value });
    },
    fence: async () => {
      await ask("barrier_in", "barrier_out");
    },
    get: rawGet,
    processMapping: () => rawGet("PMI_process_mapping"),
    abort: async (code, message) => {
      // PMI-1's abort carries no message; say it ourselves, on the launcher's stderr.
      await announceAbort(socket, rank, code, message);
      socket.send(encodePmi1("abort", { exitcode: code }));
      await awaitEnd(socket, 3000);
    },
    finalize: async () => {
      await ask("finalize", "finalize_ack");
      await socket.close();
    },
  };
}
