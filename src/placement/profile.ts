/**
 * A communication profile: who sent how much to whom during one run.
 * `bytes[a][b]` and `messages[a][b]` count what rank `a` sent to rank `b`
 * (row = sender), every frame the core sent, point-to-point and collectives,
 * on every communicator. `tsmpi profile` writes it; the comm-aware mapper and
 * the study read it. JSON: `{ "np": N, "bytes": [[…]], "messages": [[…]] }`.
 */
import { readFileSync } from "node:fs";
import * as v from "valibot";
import { MpiError } from "../errors.ts";

export interface CommProfile {
  np: number;
  bytes: number[][];
  messages: number[][];
}

// The shape only; the per-cell rules are checked by hand below so that a
// 4096-rank profile (16 M cells) is checked in one pass and every problem
// names its row and column.
const rows = v.custom<unknown[][]>((x) => Array.isArray(x) && x.every(Array.isArray), "expected a list of rows, each a list of counts");
const ProfileShape = v.object({
  np: v.pipe(v.number(), v.integer(), v.minValue(1)),
  bytes: rows,
  messages: rows,
});

const MAX_PROBLEMS = 8;

/** Check `json` as a profile; `where` names its origin in the message (a file name). */
export function parseProfile(json: unknown, where = "the communication profile"): CommProfile {
  const shape = v.safeParse(ProfileShape, json);
  if (!shape.success) {
    const problems = shape.issues.slice(0, MAX_PROBLEMS).map((i) => `${v.getDotPath(i) ?? "(top level)"}: ${i.message}`);
    throw new MpiError(
      "ERR_PLACEMENT",
      `${where} is not a profile: ${problems.join("; ")}; expected { "np": N, "bytes": [[…N×N…]], "messages": [[…N×N…]] } as written by tsmpi profile`,
    );
  }
  const { np, bytes, messages } = shape.output;
  const problems: string[] = [];
  for (const [name, m] of [
    ["bytes", bytes],
    ["messages", messages],
  ] as const) {
    if (m.length !== np) problems.push(`"${name}" has ${m.length} rows but np is ${np}; give one row per sending rank`);
    for (let a = 0; a < m.length && problems.length < MAX_PROBLEMS; a++) {
      const row = m[a]!;
      if (row.length !== np) {
        problems.push(`"${name}" row ${a} has ${row.length} columns but np is ${np}; give one column per receiving rank`);
        continue;
      }
      for (let b = 0; b < np; b++) {
        const x = row[b];
        if (typeof x !== "number" || !Number.isFinite(x) || x < 0) {
          problems.push(`${name}[${a}][${b}] is ${JSON.stringify(x)}; counts are finite numbers >= 0`);
          if (problems.length >= MAX_PROBLEMS) break;
        } else if (name === "messages" && !Number.isInteger(x)) {
          problems.push(`messages[${a}][${b}] is ${x}; a message count is a whole number`);
        }
      }
    }
  }
  if (problems.length === 0)
    for (let a = 0; a < np && problems.length < MAX_PROBLEMS; a++)
      for (let b = 0; b < np; b++)
        if ((bytes[a]![b] as number) > 0 && (messages[a]![b] as number) === 0) {
          problems.push(`rank ${a} sent ${bytes[a]![b]} bytes to rank ${b} in 0 messages; every byte travels in some message`);
          break;
        }
  if (problems.length > 0) throw new MpiError("ERR_PLACEMENT", `${where} is not a valid profile: ${problems.join("; ")}`);
  return { np, bytes: bytes as number[][], messages: messages as number[][] };
}

/** Read and check a profile file (`tsmpi map --comm FILE`). */
export function loadProfile(file: string): CommProfile {
  return profileFromText(readProfileFile(file).toString("utf8"), file);
}

export function readProfileFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new MpiError("ERR_PLACEMENT", `cannot read the communication profile ${file}: ${(e as Error).message}; write one with tsmpi profile --out ${file}`);
  }
}

/** Parse and check a profile's JSON text; `file` names it in messages. */
export function profileFromText(text: string, file: string): CommProfile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new MpiError("ERR_PLACEMENT", `${file} is not JSON (${(e as Error).message}); a profile is written by tsmpi profile --out ${file}`);
  }
  return parseProfile(json, file);
}

/** An empty profile for `np` ranks, to count into. */
export function emptyProfile(np: number): CommProfile {
  return {
    np,
    bytes: Array.from({ length: np }, () => new Array<number>(np).fill(0)),
    messages: Array.from({ length: np }, () => new Array<number>(np).fill(0)),
  };
}

/** Share of all bytes sent between ranks that `same(a, b)` puts together (0 when nothing was sent). */
export function shareOfBytes(profile: CommProfile, same: (a: number, b: number) => boolean): number {
  let inside = 0;
  let all = 0;
  for (let a = 0; a < profile.np; a++) {
    const row = profile.bytes[a]!;
    for (let b = 0; b < profile.np; b++) {
      if (a === b || row[b] === 0) continue;
      all += row[b]!;
      if (same(a, b)) inside += row[b]!;
    }
  }
  return all === 0 ? 0 : inside / all;
}
