/** Reading the job options and settings the socket transports share. */

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

/** "host:port", "[v6]:port" → parts. */
export function parseAddress(a: string): { host: string; port: number } {
  const i = a.lastIndexOf(":");
  const host = a.slice(0, i).replace(/^\[|\]$/g, "");
  return { host, port: Number(a.slice(i + 1)) };
}
