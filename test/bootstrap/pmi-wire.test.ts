import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LineFramer, Pmi2Framer, decodePmi1, decodePmi2Body, encodePmi1, encodePmi2, returnCode } from "../../src/bootstrap/pmi-wire.ts";

const name = fc.stringMatching(/^[a-z_][a-z0-9_-]{0,15}$/).filter((k) => k !== "cmd");
const pmi1Value = fc.stringMatching(/^[^\s]{0,40}$/);
const anyValue = fc.string({ maxLength: 40, unit: "grapheme" });
const fieldsOf = (value: fc.Arbitrary<string>) => fc.dictionary(name, value, { maxKeys: 6 });

/** Cuts a string into pieces at random places, as a socket might deliver it. */
const cuts = fc.array(fc.nat(), { maxLength: 8 });
function pieces<T extends { length: number; slice(a: number, b?: number): T }>(whole: T, at: number[]): T[] {
  const points = [...new Set(at.map((a) => a % (whole.length + 1)))].sort((a, b) => a - b);
  const out: T[] = [];
  let from = 0;
  for (const p of points) {
    out.push(whole.slice(from, p));
    from = p;
  }
  out.push(whole.slice(from));
  return out;
}

describe("PMI-1 lines", () => {
  it("round-trip any command and fields without white space, however the stream is cut", () => {
    fc.assert(
      fc.property(name, fieldsOf(pmi1Value), fc.array(fc.tuple(name, fieldsOf(pmi1Value)), { maxLength: 4 }), cuts, (cmd, fields, more, at) => {
        const messages = [[cmd, fields] as const, ...more];
        const framer = new LineFramer();
        const text = messages.map(([c, f]) => encodePmi1(c, f)).join("");
        const got = pieces(text, at).flatMap((p) => framer.push(p)).map(decodePmi1);
        expect(got.map((m) => [m.cmd, Object.fromEntries(m.fields)])).toEqual(messages.map(([c, f]) => [c, f]));
      }),
    );
  });

  it("reads replies of Hydra and Slurm as unordered sets, rc anywhere or absent", () => {
    const hydra = decodePmi1("cmd=response_to_init pmi_version=1 pmi_subversion=1 rc=0\n");
    const slurm = decodePmi1("cmd=response_to_init rc=0 pmi_version=1 pmi_subversion=1");
    expect(hydra).toEqual(slurm);
    expect(returnCode(decodePmi1("cmd=barrier_out"))).toBe(0);
    expect(returnCode(decodePmi1("cmd=get_result rc=-1 msg=key_nosuchkey_not_found value=unknown"))).toBe(-1);
    expect(decodePmi1("cmd=get_result rc=0 value=(vector,(0,1,3))").fields.get("value")).toBe("(vector,(0,1,3))");
    expect(decodePmi1("cmd=put kvsname=k key=a value=x=y").fields.get("value")).toBe("x=y");
  });

  it("refuses white space in a value and lines that are not key=value", () => {
    expect(() => encodePmi1("put", { value: "a b" })).toThrow(/ERR_ARG.*white space/);
    expect(() => decodePmi1("cmd=put garbage")).toThrow(/ERR_ARG.*not key=value/);
    expect(() => decodePmi1("key=value")).toThrow(/has no cmd=/);
  });
});

describe("PMI-2 frames", () => {
  it("round-trip any values, ';' and '=' and non-ASCII included, however the stream is cut", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(name, fieldsOf(anyValue)), { minLength: 1, maxLength: 4 }), cuts, (messages, at) => {
        const framer = new Pmi2Framer();
        const bytes = Buffer.from(messages.map(([c, f]) => encodePmi2(c, f)).join(""));
        const got = pieces(bytes, at).flatMap((p) => framer.push(p)).map(decodePmi2Body);
        expect(got.map((m) => [m.cmd, Object.fromEntries(m.fields)])).toEqual(messages);
      }),
    );
  });

  it("writes the length as a client does (padded right) and reads Hydra's (padded left)", () => {
    expect(encodePmi2("fullinit", { pmirank: 0, threaded: "FALSE" })).toBe("38    cmd=fullinit;pmirank=0;threaded=FALSE;");
    const framer = new Pmi2Framer();
    const body = "cmd=kvs-fence-response;rc=0;";
    const [m] = framer.push(Buffer.from(`${String(body.length).padStart(6, " ")}${body}`)).map(decodePmi2Body);
    expect(m.cmd).toBe("kvs-fence-response");
    expect(returnCode(m)).toBe(0);
  });

  it("doubles ';' inside values", () => {
    expect(encodePmi2("abort", { msg: "a;b" })).toMatch(/msg=a;;b;$/);
    expect(decodePmi2Body("cmd=abort;msg=a;;b;").fields.get("msg")).toBe("a;b");
  });

  it("refuses a length field that is not a number", () => {
    expect(() => new Pmi2Framer().push(Buffer.from("abcdefcmd=x;"))).toThrow(/length field/);
  });
});
