/**
 * A small PMI-1 process-manager side, for jobs whose launcher offers no PMI
 * (a Slurm step without `--mpi=pmi2`): rank 0 serves the job's key-value
 * store and barrier over TCP, and the other ranks reach it in PMI-1 port mode,
 * so they run the same client code as under `mpiexec -pmi-port`.
 *
 * It answers the way Hydra does (rc last or absent, rc=-1 for a missing key).
 */
import { type Server, type Socket, createServer } from "node:net";
import { MpiError } from "../errors.ts";
import { LineFramer, decodePmi1, encodePmi1, field } from "./pmi-wire.ts";

export interface Pmi1ServerOptions {
  readonly size: number;
  readonly kvsname: string;
  /** Served as the PMI_process_mapping key. */
  readonly mapping?: string;
  /** A process asked to end the job. */
  onAbort(rank: number, code: number): void;
  /** A process's connection ended before it finalized: it died. */
  onLost(rank: number): void;
}

export class Pmi1Server {
  private readonly server: Server;
  private readonly options: Pmi1ServerOptions;
  private readonly store = new Map<string, string>();
  private barrier: Socket[] = [];
  private readonly finalized = new Set<number>();
  private allDone: (() => void) | undefined;

  private constructor(server: Server, options: Pmi1ServerOptions) {
    this.server = server;
    this.options = options;
    if (options.mapping !== undefined) this.store.set("PMI_process_mapping", options.mapping);
    server.on("connection", (s) => this.serve(s));
  }

  static listen(options: Pmi1ServerOptions, port: number, host = "0.0.0.0"): Promise<Pmi1Server> {
    return new Promise((resolve, reject) => {
      const server = createServer();
      server.once("error", (e) => reject(new MpiError("ERR_TRANSPORT", `PMI server: cannot listen on ${host}:${port}: ${e.message}; another job may hold the port (set SLURM_STEP_RESV_PORTS via MpiParams=ports=…)`)));
      server.listen(port, host, () => resolve(new Pmi1Server(server, options)));
    });
  }

  get port(): number {
    const a = this.server.address();
    return typeof a === "object" && a ? a.port : 0;
  }

  /** Resolves once every process has finalized; then closes. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      const end = () => this.server.close(() => resolve());
      if (this.finalized.size >= this.options.size) end();
      else this.allDone = end;
    });
  }

  private serve(socket: Socket): void {
    const lines = new LineFramer();
    let rank = -1;
    const reply = (cmd: string, fields: Record<string, string | number> = {}) => socket.write(encodePmi1(cmd, fields));
    socket.on("data", (chunk) => {
      for (const line of lines.push(chunk.toString("utf8"))) {
        const m = decodePmi1(line);
        switch (m.cmd) {
          case "initack":
            rank = Number(field(m, "pmiid"));
            reply("initack");
            reply("set", { size: this.options.size });
            reply("set", { rank });
            reply("set", { debug: 0 });
            break;
          case "init":
            reply("response_to_init", { pmi_version: 1, pmi_subversion: 1, rc: 0 });
            break;
          case "get_maxes":
            reply("maxes", { kvsname_max: 256, keylen_max: 64, vallen_max: 1024 });
            break;
          case "get_my_kvsname":
            reply("my_kvsname", { kvsname: this.options.kvsname });
            break;
          case "get_universe_size":
            reply("universe_size", { size: this.options.size });
            break;
          case "get_appnum":
            reply("appnum", { appnum: 0 });
            break;
          case "put":
            this.store.set(field(m, "key"), field(m, "value"));
            reply("put_result", { rc: 0, msg: "success" });
            break;
          case "barrier_in":
            this.barrier.push(socket);
            if (this.barrier.length === this.options.size) for (const s of this.barrier.splice(0)) s.write(encodePmi1("barrier_out"));
            break;
          case "get": {
            const key = field(m, "key");
            const v = this.store.get(key);
            if (v === undefined) reply("get_result", { rc: -1, msg: `key_${key}_not_found`, value: "unknown" });
            else reply("get_result", { rc: 0, msg: "success", value: v });
            break;
          }
          case "finalize":
            this.finalized.add(rank);
            reply("finalize_ack");
            if (this.finalized.size >= this.options.size) this.allDone?.();
            break;
          case "abort":
            this.options.onAbort(rank, Number(m.fields.get("exitcode") ?? 1));
            break;
          default:
            reply(`${m.cmd}_result`, { rc: -1, msg: "unknown_command" });
        }
      }
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      if (rank >= 0 && !this.finalized.has(rank)) this.options.onLost(rank);
    });
  }
}
