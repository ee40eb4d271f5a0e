/**
 * Slurm's compressed host lists: `node[01-03,7],login,rack[1-2]n[1-2]`.
 * Commas inside brackets list ranges; several bracket groups in one name
 * multiply out; a range keeps the width of its lower bound (`[08-10]` gives
 * 08, 09, 10), which a split-on-comma-and-Atoi parser loses.
 */
import { MpiError } from "../errors.ts";

function hostlistError(list: string, problem: string): MpiError {
  return new MpiError("ERR_ARG", `host list ${JSON.stringify(list)}: ${problem}; expected Slurm's form, e.g. node[01-03,7],login`);
}

/** Splits on commas that are not inside brackets. */
function topLevel(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const c of list) {
    if (c === "[") depth++;
    if (c === "]") depth--;
    if (depth < 0 || depth > 1) throw hostlistError(list, "brackets do not pair");
    if (c === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += c;
  }
  if (depth !== 0) throw hostlistError(list, "a bracket is not closed");
  parts.push(current);
  return parts.filter((p) => p !== "");
}

function expandRanges(list: string, inside: string): string[] {
  const out: string[] = [];
  for (const range of inside.split(",")) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(range);
    if (!m) throw hostlistError(list, `[${inside}] holds ${JSON.stringify(range)}, not a number or a lo-hi range`);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo) throw hostlistError(list, `the range ${range} runs backwards`);
    for (let i = lo; i <= hi; i++) out.push(String(i).padStart(m[1].length, "0"));
  }
  return out;
}

function expandName(list: string, name: string): string[] {
  const open = name.indexOf("[");
  if (open < 0) return [name];
  const close = name.indexOf("]", open);
  const head = name.slice(0, open);
  const tails = expandName(list, name.slice(close + 1));
  return expandRanges(list, name.slice(open + 1, close)).flatMap((n) => tails.map((t) => head + n + t));
}

export function expandHostlist(list: string): string[] {
  return topLevel(list.trim()).flatMap((name) => expandName(list, name));
}

/**
 * The inverse for names with one trailing number: runs of the same prefix and
 * width become `prefix[lo-hi,…]`. Used to print what a launcher gave us compactly.
 */
export function compressHostlist(hosts: readonly string[]): string {
  const groups: { prefix: string; width: number; numbers: number[] }[] = [];
  const out: string[] = [];
  const flush = () => {
    for (const g of groups.splice(0)) {
      const ranges: string[] = [];
      for (let i = 0; i < g.numbers.length; ) {
        let j = i;
        while (j + 1 < g.numbers.length && g.numbers[j + 1] === g.numbers[j] + 1) j++;
        const pad = (n: number) => String(n).padStart(g.width, "0");
        ranges.push(i === j ? pad(g.numbers[i]) : `${pad(g.numbers[i])}-${pad(g.numbers[j])}`);
        i = j + 1;
      }
      out.push(g.numbers.length === 1 ? `${g.prefix}${ranges[0]}` : `${g.prefix}[${ranges.join(",")}]`);
    }
  };
  for (const h of hosts) {
    const m = /^(.*?)(\d+)$/.exec(h);
    const last = groups.at(-1);
    if (m && last && last.prefix === m[1] && last.width === m[2].length && Number(m[2]) > last.numbers[last.numbers.length - 1])
      last.numbers.push(Number(m[2]));
    else {
      flush();
      if (m && !/[[\],]/.test(h)) groups.push({ prefix: m[1], width: m[2].length, numbers: [Number(m[2])] });
      else out.push(h);
    }
  }
  flush();
  return out.join(",");
}
