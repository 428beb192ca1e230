// Fault cri-dockerd-no-cni: cri-dockerd started without --network-plugin=cni (bugs.md section 4).
import { ExitCode, HarnessError } from "../../errors.ts";
import { criDockerdBinaryFor, criDockerdUnitsScript, networkPluginFlag } from "../cri-dockerd-unit.ts";
import { criDockerdPodInfraImage } from "../cri-dockerd.ts";
import type { FaultRenderer } from "./fault-renderer.ts";

/** Rewrites cri-docker.service with an empty --network-plugin= (the 0.2.0-0.2.3 unit) and restarts it. */
export const criDockerdNoCniFault: FaultRenderer<"cri-dockerd-no-cni"> = (_fault, { scenario }) => {
  if (scenario.runtime.kind !== "docker-cri-dockerd")
    throw new HarnessError(
      "FAULT_NEEDS_CRI_DOCKERD",
      "fault cri-dockerd-no-cni needs runtime.kind docker-cri-dockerd",
      {
        hint: "set runtime.kind to docker-cri-dockerd, or drop the fault",
        exitCode: ExitCode.usage,
      },
    );
  const binary = criDockerdBinaryFor(scenario.runtime.criDockerd.source);
  return {
    description:
      "rewrites cri-docker.service with --network-plugin= (no CNI, as cri-dockerd 0.2.0-0.2.3 units did): pods get Docker bridge addresses (172.17.0.0/16) instead of the podSubnet, nodes report Ready without a CNI, and pods on different nodes can share an address",
    body: () => `${criDockerdUnitsScript(binary, networkPluginFlag("none"), criDockerdPodInfraImage(scenario))}
case "$(systemctl show -p ExecStart --value cri-docker.service)" in
  *--network-plugin=cni*)
    echo "harness: cri-docker.service still passes --network-plugin=cni" >&2
    exit 1
    ;;
esac`,
    uploads: [],
    artifacts: [],
    timeoutMs: 120_000,
  };
};
