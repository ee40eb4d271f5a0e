// NAS CG class S, verified against NPB's reference zeta, started by real
// launchers: srun on the local Slurm, and Hydra over two network-namespace hosts.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repo, requireTool, run, startLocalSlurm } from "./helpers.ts";

const cg = fileURLToPath(new URL("../../bench/nas/cg.ts", import.meta.url));
const tsmpiExec = [process.execPath, `${repo}bin/tsmpi.js`, "exec"];
const tag = `n${process.pid % 100000}`;
const net = `10.77.${10 + (process.pid % 80)}`;

function hosts(...args: string[]): void {
  const r = spawnSync("bash", [`${repo}/scripts/netns-hosts.sh`, ...args], { encoding: "utf8", env: { ...process.env, TSMPI_NETNS_TAG: tag, TSMPI_NETNS_NET: net } });
  if (r.status !== 0) throw new Error(`scripts/netns-hosts.sh ${args.join(" ")} failed: ${r.stderr}`);
}

function verified(stdout: string): { kernel: string; class: string; np: number; verified: boolean } {
  const line = stdout.split("\n").find((l) => l.startsWith("RESULT "));
  if (!line) throw new Error(`no RESULT line in:\n${stdout}`);
  return JSON.parse(line.slice("RESULT ".length));
}

beforeAll(() => {
  requireTool("mpiexec.hydra", "mpich");
  startLocalSlurm();
  hosts("up", "2");
});
afterAll(() => hosts("down"));

describe("NAS CG class S under foreign launchers", () => {
  it("verifies under srun --mpi=pmi2 -n 4", { timeout: 300_000 }, async () => {
    const r = await run("srun", ["--mpi=pmi2", "-n", "4", ...tsmpiExec, cg, "--class", "S"], {}, 290_000);
    expect(r.code).toBe(0);
    expect(verified(r.stdout)).toMatchObject({ kernel: "CG", class: "S", np: 4, verified: true });
  });

  it("verifies under mpiexec.hydra -n 4 over two network-namespace hosts (vf across them)", { timeout: 300_000 }, async () => {
    const hydra = ["-launcher", "ssh", "-launcher-exec", `${repo}/scripts/hydra-netns-exec`, "-localhost", `${net}.1`, "-hosts", `${tag}h0,${tag}h1`];
    const r = await run("mpiexec.hydra", [...hydra, "-n", "4", ...tsmpiExec, "--transport", "vf", cg, "--class", "S"], {}, 290_000);
    expect(r.code).toBe(0);
    expect(verified(r.stdout)).toMatchObject({ kernel: "CG", class: "S", np: 4, verified: true });
  });
});
