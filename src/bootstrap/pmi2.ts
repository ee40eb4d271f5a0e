/**
 * A PMI-2 client (Slurm's `--mpi=pmi2`, and Hydra, which speaks both).
 *
 * Slurm kills the step when the first message is a bare `fullinit`; a client
 * must first send the PMI-1-style line `cmd=init pmi_version=2
 * pmi_subversion=0`, and only then switch to length-prefixed frames. Slurm also
 * wants `pmijobid` in `fullinit` (it answers rc=3 without it). Hydra accepts
 * both forms (../shared/research/simulation-mapping-launchers.md §C.2).
 */
import { MpiError } from "../errors.ts";
import type { Env } from "./job.ts";
import { announceAbort, awaitEnd } from "./pmi1.ts";
import type { PmiClient } from "./pmi-job.ts";
import { PmiSocket } from "./pmi-socket.ts";
import { encodePmi1, encodePmi2, expectSuccess, field, type PmiFields } from "./pmi-wire.ts";

/** PMI2_MAX_KEYLEN and PMI2_MAX_VALLEN of MPICH's pmi2.h, NUL included. */
const MAX_KEY = 64;
const MAX_VALUE = 1024;

export async function connectPmi2(env: Env, onLost?: (why: string) => void): Promise<PmiClient> {
  const fd = Number(env.PMI_FD);
  if (env.PMI_FD === undefined || !Number.isInteger(fd) || fd < 0)
    throw new MpiError("ERR_ARG", `PMI-2: PMI_FD=${env.PMI_FD ?? "(unset)"} is not a descriptor; start the program under srun --mpi=pmi2 or mpiexec`);
  const socket = PmiSocket.fromFd(fd);
  socket.onLost = onLost;
  const claimed = Number(env.PMI_RANK ?? 0);

  const preamble = await socket.request(encodePmi1("init", { pmi_version: 2, pmi_subversion: 0 }), "response_to_init");
  expectSuccess(preamble, claimed, "init");
  if (preamble.fields.get("pmi_version") !== "2")
    throw new MpiError("ERR_ARG", `PMI-2: the process manager offers PMI version ${preamble.fields.get("pmi_version")}; set TSMPI_BOOTSTRAP=pmi1`);
  socket.useFrames();

  const initFields: Record<string, string | number> = { pmirank: claimed, threaded: "FALSE" };
  if (env.PMI_JOBID !== undefined) initFields.pmijobid = env.PMI_JOBID;
  const init = expectSuccess(await socket.request(encodePmi2("fullinit", initFields), "fullinit-response"), claimed, "fullinit");
  const rank = Number(field(init, "rank"));
  const size = Number(field(init, "size"));

  const ask = async (cmd: string, fields: PmiFields = {}) => expectSuccess(await socket.request(encodePmi2(cmd, fields), `${cmd}-response`), rank, cmd);
  const found = (reply: { fields: ReadonlyMap<string, string> }) => (reply.fields.get("found") === "TRUE" ? reply.fields.get("value") : undefined);

  return {
    kind: "pmi2",
    rank,
    size,
    maxKey: MAX_KEY - 1,
    maxValue: MAX_VALUE - 1,
    put: async (key, value) => {
      await ask("kvs-put", { key, value });
    },
    fence: async () => {
      await ask("kvs-fence");
    },
    get: async (key) => found(await ask("kvs-get", { jobid: "", srcid: -1, key })),
    processMapping: async () => found(await ask("info-getjobattr", { key: "PMI_process_mapping" })),
    abort: async (code, message) => {
      // PMI-2's abort has no exit code; the launcher prints the message and ends the job.
      await announceAbort(socket, rank, code, message);
      socket.send(encodePmi2("abort", { isworldabort: "TRUE", msg: `rank ${rank}: ${message}` }));
      await awaitEnd(socket, 3000);
    },
    finalize: async () => {
      await ask("finalize");
      await socket.close();
    },
  };
}
