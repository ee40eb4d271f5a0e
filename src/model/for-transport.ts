/**
 * The model preset that stands for each inter-VM transport's hardware when a
 * study or `tsmpi map --verify` is not told one: bridged is Xen's dom0 bridge,
 * vf an SR-IOV virtual function (interrupts still exit to the hypervisor, as
 * `tsmpi model validate` compares them), slurpoe SLURPoE on its NIC processor.
 * Each preset's numbers cite their sources in ./presets.
 */
import { MpiError } from "../errors.ts";

export const MODEL_FOR_TRANSPORT: Readonly<Record<string, string>> = { bridged: "xen-bridged", vf: "sriov", slurpoe: "inic-slurpoe" };

/**
 * The preset for `transport` under `spec`: one preset for every transport
 * (`xen-bridged`), per transport (`bridged=xen-bridged,vf=sriov`), or nothing
 * (the table above).
 */
export function modelForTransport(transport: string, spec?: string): string {
  if (spec && !spec.includes("=")) return spec;
  const named = spec ? Object.fromEntries(spec.split(",").map((kv) => kv.split("=") as [string, string])) : MODEL_FOR_TRANSPORT;
  const name = named[transport];
  if (!name) throw new MpiError("ERR_ARG", `--model ${spec ?? ""}: no model for transport ${transport}; add ${transport}=PRESET (presets: tsmpi model list)`);
  return name;
}
