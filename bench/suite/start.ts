/**
 * `npm start` (`tsmpi start`): the default study. NAS class S (EP, IS, CG,
 * MG, FT) with 4 ranks on 2 hosts × 2 VMs under shm-only, bridged, vf and
 * slurpoe, then the point-to-point latency/bandwidth comparison (2 ranks);
 * every kernel verified. Prints the table and where the JSON and the HTML
 * report went; exits non-zero when a kernel fails verification or a run
 * fails. Sized to finish in under five minutes on two cores.
 */
import { exitCodeOf, runSuite, summary } from "./suite.ts";
import { defaultSettings } from "./sweep.ts";

export async function runStart(): Promise<number> {
  const settings = defaultSettings();
  console.log(
    `tsmpi default study: NAS class ${settings.classes.join(",")} (${settings.kernels.join(", ").toUpperCase()}) with ${settings.np.join(",")} ranks on ` +
      `${settings.placements.join(", ")} (hosts x VMs) under ${settings.transports.join(", ")}, then point-to-point (sizes ${settings.p2p.sizes}).`,
  );
  const { doc, files } = await runSuite(settings, ["tsmpi", "start"]);
  console.log(`\n${summary(doc, files)}`);
  return exitCodeOf(doc);
}
