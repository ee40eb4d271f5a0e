/**
 * The two text framings process managers speak to their processes.
 *
 * PMI-1 ("simple PMI", MPICH's Hydra and Slurm's pmi2 plugin alike): one line
 * per message, `cmd=NAME key=value key=value\n`, tokens split on spaces.
 *
 * PMI-2: a 6-character ASCII length, space-padded (on the right by clients,
 * on the left by Hydra's replies), then
 * `cmd=NAME;key=value;…;` with a `;` inside a value doubled.
 *
 * Replies are parsed as unordered key=value sets: Hydra and Slurm put `rc` in
 * different places or leave it out (../shared/research/simulation-mapping-launchers.md §C.2).
 */
import { MpiError } from "../errors.ts";

/** One message: its command and its fields, in wire order. */
export interface PmiMessage {
  readonly cmd: string;
  readonly fields: ReadonlyMap<string, string>;
}

export type PmiFields = Readonly<Record<string, string | number>>;

const PMI2_LENGTH_DIGITS = 6;

function wireError(problem: string, fix: string): MpiError {
  return new MpiError("ERR_ARG", `PMI wire: ${problem}; ${fix}`);
}

/** Reads a field, failing with the message's command named. */
export function field(message: PmiMessage, key: string): string {
  const v = message.fields.get(key);
  if (v === undefined) throw new MpiError("ERR_INTERNAL", `PMI: the ${message.cmd} reply has no ${key}; the process manager speaks a PMI this client does not know`);
  return v;
}

/** The reply's return code; a missing `rc` means success (Hydra omits it). */
export function returnCode(message: PmiMessage): number {
  const rc = message.fields.get("rc");
  return rc === undefined ? 0 : Number(rc);
}

// ---- PMI-1 -------------------------------------------------------------

function checkPmi1Token(what: string, s: string): void {
  if (/[\s]/.test(s)) throw wireError(`${what} ${JSON.stringify(s)} holds white space, which PMI-1 splits on`, "encode it first (the job bootstrap's put does)");
}

export function encodePmi1(cmd: string, fields: PmiFields = {}): string {
  checkPmi1Token("the command", cmd);
  let line = `cmd=${cmd}`;
  for (const [k, raw] of Object.entries(fields)) {
    const v = String(raw);
    checkPmi1Token("the key", k);
    if (k.includes("=") || k === "") throw wireError(`the key ${JSON.stringify(k)} is empty or holds '='`, "use a plain key");
    checkPmi1Token(`the value of ${k}`, v);
    line += ` ${k}=${v}`;
  }
  return `${line}\n`;
}

/** Builds a message from `key=value` pairs; the first `=` splits key from value. */
function fromPairs(pairs: readonly string[], source: string, protocol: string): PmiMessage {
  const fields = new Map<string, string>();
  let cmd: string | undefined;
  for (const pair of pairs) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    if (eq <= 0) throw wireError(`${JSON.stringify(pair)} in ${JSON.stringify(source)} is not key=value`, `check that the peer speaks ${protocol}`);
    const k = pair.slice(0, eq);
    const v = pair.slice(eq + 1);
    if (k === "cmd" && cmd === undefined) cmd = v;
    else fields.set(k, v);
  }
  if (cmd === undefined) throw wireError(`${JSON.stringify(source)} has no cmd=`, `check that the peer speaks ${protocol}`);
  return { cmd, fields };
}

/** Parses one line, with or without its newline. */
export function decodePmi1(line: string): PmiMessage {
  return fromPairs(line.replace(/\n$/, "").split(" "), line, "PMI-1");
}

/** Splits a byte stream into PMI-1 lines. */
export class LineFramer {
  private rest = "";

  push(chunk: string): string[] {
    const parts = (this.rest + chunk).split("\n");
    this.rest = parts.pop() ?? "";
    return parts;
  }
}

// ---- PMI-2 -------------------------------------------------------------

function escapePmi2(s: string): string {
  return s.replaceAll(";", ";;");
}

export function encodePmi2Body(cmd: string, fields: PmiFields = {}): string {
  let body = `cmd=${escapePmi2(cmd)};`;
  for (const [k, raw] of Object.entries(fields)) {
    if (k === "" || k.includes("=") || k.includes(";")) throw wireError(`the key ${JSON.stringify(k)} is empty or holds '=' or ';'`, "use a plain key");
    body += `${k}=${escapePmi2(String(raw))};`;
  }
  return body;
}

export function encodePmi2(cmd: string, fields: PmiFields = {}): string {
  const body = encodePmi2Body(cmd, fields);
  // The length counts bytes, not UTF-16 units.
  const length = String(Buffer.byteLength(body));
  if (length.length > PMI2_LENGTH_DIGITS) throw wireError(`a ${length}-byte command does not fit the 6-digit length field`, "send smaller values");
  return length.padEnd(PMI2_LENGTH_DIGITS, " ") + body;
}

/** Parses a PMI-2 body (`cmd=…;k=v;…;`), undoing `;;`. */
export function decodePmi2Body(body: string): PmiMessage {
  const pairs: string[] = [];
  let current = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== ";") current += c;
    else if (body[i + 1] === ";") {
      current += ";";
      i++;
    } else {
      pairs.push(current);
      current = "";
    }
  }
  pairs.push(current);
  return fromPairs(pairs, body, "PMI-2");
}

/** Splits a byte stream into PMI-2 bodies by their length prefixes. */
export class Pmi2Framer {
  private rest: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): string[] {
    this.rest = this.rest.length === 0 ? chunk : Buffer.concat([this.rest, chunk]);
    const bodies: string[] = [];
    while (this.rest.length >= PMI2_LENGTH_DIGITS) {
      const prefix = this.rest.subarray(0, PMI2_LENGTH_DIGITS).toString("latin1");
      const length = Number(prefix.trim());
      if (!/^ *\d+ *$/.test(prefix) || !Number.isInteger(length))
        throw wireError(`the length field ${JSON.stringify(prefix)} is not a number`, "check that the peer speaks PMI-2");
      if (this.rest.length < PMI2_LENGTH_DIGITS + length) break;
      bodies.push(this.rest.subarray(PMI2_LENGTH_DIGITS, PMI2_LENGTH_DIGITS + length).toString("utf8"));
      this.rest = this.rest.subarray(PMI2_LENGTH_DIGITS + length);
    }
    return bodies;
  }
}

/** Throws unless the reply's rc is 0, naming the request and the launcher's message. */
export function expectSuccess(reply: PmiMessage, rank: number, call: string): PmiMessage {
  const rc = returnCode(reply);
  if (rc !== 0) {
    const msg = reply.fields.get("msg") ?? reply.fields.get("errmsg");
    throw new MpiError("ERR_INTERNAL", `rank ${rank}, PMI ${call}: the process manager answered rc=${rc}${msg ? ` (${msg})` : ""}; check the launcher's log`);
  }
  return reply;
}
