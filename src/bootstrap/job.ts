/**
 * How a VM process learns its job, whoever started it: tsmpi's own launcher,
 * a PMI-2 or PMI-1 process manager (MPICH's Hydra, Slurm's `--mpi=pmi2`), a
 * bare Slurm step, or nobody (a singleton). The engine asks only this.
 *
 * The key-value store is the PMI one: `put` locally, `fence` (collective: every
 * process of the job calls it) publishes, then `get` reads anyone's key. A key
 * not put by anyone before the fence is an error, never a wait.
 */
export type BootstrapKind = "tsmpi" | "pmi2" | "pmi1" | "slurm" | "singleton";

export interface JobBootstrap {
  readonly kind: BootstrapKind;
  /** Processes in the job, as the launcher sees them. */
  readonly size: number;
  /** This process's index among them. */
  readonly rank: number;
  /** The node this process runs on. */
  readonly host: string;
  /**
   * Node name per process index. Names travel through the key-value store, so
   * unless a fence has already happened this runs one: call it from every
   * process at the same point, as any collective.
   */
  hosts(): Promise<string[]>;
  put(key: string, value: string): Promise<void>;
  /** A barrier over all processes of the job that publishes every put before it. */
  fence(): Promise<void>;
  get(key: string): Promise<string>;
  /** Asks the launcher to end the whole job with `code`; the caller exits after. */
  abort(code: number, message: string): Promise<void>;
  finalize(): Promise<void>;
}

/** The environment a launcher gave the process (process.env, or a test's). */
export type Env = Readonly<Record<string, string | undefined>>;
