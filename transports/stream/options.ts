/** Reading the job options and settings the socket transports share. */
import { MpiError } from "../../src/api/errors.ts";

/** The per-job secret the launcher puts in every transport's options (`job.secret`, hex). */
export function jobSecret(options: Readonly<Record<string, unknown>>, who: string): string {
  const s = options["job.secret"];
  if (typeof s !== "string" || !/^[0-9a-f]{32,}$/.test(s))
    throw new Error(`${who}: no job secret in the transport options (job.secret); run through the tsmpi launcher`);
  return s;
}

/** Where listeners bind: loopback unless the launcher was given `--bind`. */
export function listenAddress(options: Readonly<Record<string, unknown>>): string {
  const b = options["job.bind"];
  return typeof b === "string" && b.length > 0 ? b : "127.0.0.1";
}

/**
 * A positive whole-number setting (a size in bytes, a count, milliseconds),
 * parsed strictly: decimal digits only, so `abc`, `1e3`, `0x10`, `4.5` or an
 * empty value are refused rather than turned into NaN or a surprise.
 */
export function integerSetting(settings: Readonly<Record<string, string>>, key: string, fallback: number): number {
  const v = settings[key];
  if (v === undefined) return fallback;
  const n = /^[1-9][0-9]*$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw new MpiError("ERR_ARG", `setting ${key}=${v}: must be a positive whole number (decimal digits, e.g. ${fallback || 1})`);
  return n;
}

/** "host:port", "[v6]:port" → parts. */
export function parseAddress(a: string): { host: string; port: number } {
  const i = a.lastIndexOf(":");
  const host = a.slice(0, i).replace(/^\[|\]$/g, "");
  return { host, port: Number(a.slice(i + 1)) };
}
