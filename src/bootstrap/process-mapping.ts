/**
 * `PMI_process_mapping` (and Slurm's `SLURM_PMIX_MAPPING_SERV`, same grammar):
 * `(vector,(start,nodes,ranks),…)`. Each block gives `ranks` consecutive
 * ranks to each of `nodes` nodes numbered from `start`; the vector is a
 * pattern repeated until every rank has a node (MPICH's mpl_rankmap.c). So
 * Hydra's `(vector,(0,1,1))` for 3 ranks puts all three on node 0, and a
 * cyclic job over two nodes is `(vector,(0,2,1))`.
 */
import { MpiError } from "../errors.ts";

export interface MappingBlock {
  readonly start: number;
  readonly nodes: number;
  readonly ranks: number;
}

function mappingError(text: string, problem: string): MpiError {
  return new MpiError("ERR_ARG", `process mapping ${JSON.stringify(text)}: ${problem}; expected (vector,(start,nodes,ranks),…) as PMI_process_mapping gives`);
}

export function parseProcessMapping(text: string): MappingBlock[] {
  const compact = text.replace(/\s+/g, "");
  const outer = /^\(vector((?:,\(\d+,\d+,\d+\))*)\)$/.exec(compact);
  if (!outer) throw mappingError(text, "not a vector of (start,nodes,ranks) triples");
  const blocks: MappingBlock[] = [];
  for (const m of outer[1].matchAll(/\((\d+),(\d+),(\d+)\)/g)) {
    const block = { start: Number(m[1]), nodes: Number(m[2]), ranks: Number(m[3]) };
    if (block.nodes === 0 || block.ranks === 0) throw mappingError(text, `the block (${m[1]},${m[2]},${m[3]}) places nobody`);
    blocks.push(block);
  }
  if (blocks.length === 0) throw mappingError(text, "the vector is empty");
  return blocks;
}

/** Node index per rank for a job of `size` processes. */
export function nodeOfRank(blocks: readonly MappingBlock[], size: number): number[] {
  const nodes: number[] = [];
  while (nodes.length < size)
    for (const b of blocks)
      for (let n = 0; n < b.nodes; n++)
        for (let r = 0; r < b.ranks && nodes.length < size; r++) nodes.push(b.start + n);
  return nodes;
}

/** The inverse of parsing: the compact form a launcher would send for node-per-rank. */
export function formatProcessMapping(nodes: readonly number[]): string {
  const blocks: MappingBlock[] = [];
  let i = 0;
  while (i < nodes.length) {
    let ranks = 1;
    while (i + ranks < nodes.length && nodes[i + ranks] === nodes[i]) ranks++;
    const last = blocks.at(-1);
    if (last && last.ranks === ranks && last.start + last.nodes === nodes[i]) blocks[blocks.length - 1] = { ...last, nodes: last.nodes + 1 };
    else blocks.push({ start: nodes[i], nodes: 1, ranks });
    i += ranks;
  }
  return `(vector,${blocks.map((b) => `(${b.start},${b.nodes},${b.ranks})`).join(",")})`;
}
