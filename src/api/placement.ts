/**
 * Where every world rank sits and which transport joins each pair: the view of
 * the placement map that communicators need. The engine builds it from the
 * resolved map (src/placement) and hands it to the world communicator.
 */
export interface WorldPlacement {
  of(worldRank: number): { host: string; vm: string };
  /** Transport name used between two world ranks ("shm" inside a VM). */
  transportBetween(a: number, b: number): string;
}

/** A placement given as per-rank host and VM names plus a function naming the pair transport. */
export class TablePlacement implements WorldPlacement {
  private readonly hosts: readonly string[];
  private readonly vms: readonly string[];
  private readonly pair: (a: number, b: number) => string;
  constructor(hosts: readonly string[], vms: readonly string[], pair: (a: number, b: number) => string) {
    this.hosts = hosts;
    this.vms = vms;
    this.pair = pair;
  }
  of(worldRank: number): { host: string; vm: string } {
    return { host: this.hosts[worldRank]!, vm: this.vms[worldRank]! };
  }
  transportBetween(a: number, b: number): string {
    return this.pair(a, b);
  }

  /** Everyone in one VM on one host, talking over shared memory. */
  static singleVm(size: number, transport = "shm"): TablePlacement {
    const hosts = Array.from({ length: size }, () => "host0");
    const vms = Array.from({ length: size }, () => "vm0");
    return new TablePlacement(hosts, vms, (a, b) => (a === b ? "self" : transport));
  }
}
