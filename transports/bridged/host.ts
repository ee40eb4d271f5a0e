/**
 * The bridged transport under a foreign launcher (`tsmpi exec`): the first
 * VM process on each host starts that host's bridge, publishes where it
 * listens, learns the other bridges' addresses from the job's store, wires
 * its bridge to them, and only then publishes it for the host's VMs.
 */
import type { HostPlan, HostPreparation } from "../../src/transport/contract.ts";
import type { BridgeRequest } from "./bridge-process.ts";
import { type Bridge, bridgedHosts, startBridge, stopBridges, waitFor } from "./job.ts";

const listening = (index: number) => `bridged.listen.${index}`;
const ready = (index: number) => `bridged.bridge.${index}`;

export async function prepareHost(plan: HostPlan): Promise<HostPreparation> {
  const hostList = bridgedHosts(plan.size, plan.hosts, plan.uses);
  const index = hostList.indexOf(plan.host);
  if (index < 0) return { options: {}, stop: async () => {} };
  let bridge: Bridge | undefined;
  if (plan.first) {
    bridge = startBridge(plan, plan.host, index);
    try {
      bridge.address = (await waitFor(bridge.child, "listening", 15000)).address;
      await plan.kvs.put(listening(index), bridge.address);
      const addresses = await Promise.all(hostList.map((_, j) => plan.kvs.get(listening(j))));
      const wired = waitFor(bridge.child, "ready", 15000);
      bridge.child.send({ type: "peers", addresses } satisfies BridgeRequest);
      await wired;
      await plan.kvs.put(ready(index), bridge.address);
    } catch (e) {
      await stopBridges([bridge]);
      throw new Error(`bridged: could not start the bridge of host ${plan.host}: ${(e as Error).message}`);
    }
  }
  const address = await plan.kvs.get(ready(index));
  return {
    options: { "bridged.bridge": address },
    stop: async () => {
      if (bridge) await stopBridges([bridge]);
    },
  };
}
