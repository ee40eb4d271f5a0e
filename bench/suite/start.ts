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
import { runDefaultStudy } from "../placement/study/default.ts";

export async function runStart(): Promise<number> {
  const settings = defaultSettings();
  console.log(
    `tsmpi default study: NAS class ${settings.classes.join(",")} (${settings.kernels.join(", ").toUpperCase()}) with ${settings.np.join(",")} ranks on ` +
      `${settings.placements.join(", ")} (hosts x VMs) under ${settings.transports.join(", ")}, then point-to-point (sizes ${settings.p2p.sizes}).`,
  );
  const { doc, files } = await runSuite(settings, ["tsmpi", "start"]);
  console.log(`\n${summary(doc, files)}`);
  console.log(
    "\nplacement study: NAS CG, IS, FT (class S) at 64 ranks, MG (class S) at 32, heavy-groups at 64 and live at 8; every strategy under every transport, simulated",
  );
  const study = await runDefaultStudy();
  for (const f of study.failures) console.error(`placement study: ${f}`);
  console.log(`placement study: wrote ${study.files.join(" and ")}`);
  return exitCodeOf(doc) || (study.failures.length > 0 ? 1 : 0);
}
