// The bridge network installed the way flannel and Calico install theirs: a DaemonSet whose init container
// writes the node's CNI config from a ConfigMap. Until its pod has run on a node, that node has no CNI config, so
// containerd reports `cni plugin not initialized` and the node stays NotReady.
import { stringify } from "yaml";
import type { MachinePlan } from "../plan/plan.ts";
import { kubernetesRelease } from "./kubernetes-versions.ts";
import { bridgeConfigPath, bridgeConflist, bridgeDaemonSetName, nodePodCidr } from "./bridge-cni.ts";
import { faultsBreak } from "./bootstrap-failures.ts";
import type { Recipe } from "./recipe.ts";
import { harnessStateDir, scriptStep } from "./recipe-step.ts";
import { retriedKubectlFunction } from "./kubectl-retry.ts";
import { heredoc, quote } from "./shell.ts";

const configMount = "/config";
const hostCniMount = "/host/etc/cni/net.d";
const conflistName = bridgeConfigPath.split("/").at(-1) ?? "10-harness-bridge.conflist";

/**
 * The init container's script: the conflist of the node it runs on (NODE_NAME, from the downward API), copied
 * from `configDir` beside its target in `cniDir` and renamed into place so containerd never reads half a file.
 */
export function installCniConfigScript(configDir: string, cniDir: string): string {
  const target = `${cniDir}/${conflistName}`;
  const partial = `${cniDir}/.${conflistName}.partial`;
  return `set -e
src=${quote(configDir)}/"$NODE_NAME.conflist"
if [ ! -f "$src" ]; then
  echo "no CNI config for node $NODE_NAME in ConfigMap ${bridgeDaemonSetName}; it has:" >&2
  ls ${quote(configDir)} >&2
  exit 1
fi
cat "$src" > ${quote(partial)}
mv ${quote(partial)} ${quote(target)}
echo "wrote ${bridgeConfigPath} for node $NODE_NAME"`;
}

/**
 * The main container's script: stays up while the config is in place and exits 1 once it is gone, so the loss
 * shows as container restarts (the init container runs again only when the pod is re-created).
 */
export function keepCniConfigScript(cniDir: string, intervalSeconds: number): string {
  return `while [ -f ${quote(`${cniDir}/${conflistName}`)} ]; do sleep ${intervalSeconds}; done
echo "${bridgeConfigPath} is gone" >&2
exit 1`;
}

/** The ConfigMap (one `<node>.conflist` per planned node) and the DaemonSet, as one multi-document YAML. */
export function bridgeDaemonSetManifest(machines: MachinePlan[], podSubnet: string, image: string): string {
  const labels = { app: bridgeDaemonSetName };
  const configMap = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: bridgeDaemonSetName, namespace: "kube-system", labels },
    data: Object.fromEntries(
      machines.map((m, i) => [`${m.name}.conflist`, bridgeConflist(nodePodCidr(podSubnet, i))]),
    ),
  };
  const volumeMounts = [
    { name: "cni-config", mountPath: configMount, readOnly: true },
    { name: "cni-net-d", mountPath: hostCniMount },
  ];
  const daemonSet = {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: bridgeDaemonSetName, namespace: "kube-system", labels },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          hostNetwork: true,
          priorityClassName: "system-node-critical",
          tolerations: [{ operator: "Exists" }],
          terminationGracePeriodSeconds: 5,
          initContainers: [
            {
              name: "install-cni",
              image,
              imagePullPolicy: "IfNotPresent",
              command: ["sh", "-c", installCniConfigScript(configMount, hostCniMount)],
              env: [{ name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }],
              volumeMounts,
            },
          ],
          containers: [
            {
              name: "keep-cni-config",
              image,
              imagePullPolicy: "IfNotPresent",
              command: ["sh", "-c", keepCniConfigScript(hostCniMount, 10)],
              volumeMounts,
            },
          ],
          volumes: [
            { name: "cni-config", configMap: { name: bridgeDaemonSetName } },
            { name: "cni-net-d", hostPath: { path: "/etc/cni/net.d", type: "DirectoryOrCreate" } },
          ],
        },
      },
    },
  };
  return [configMap, daemonSet].map((d) => stringify(d, { lineWidth: 0 })).join("---\n");
}

/**
 * Applies the manifest and waits (bounded) for the DaemonSet's pods and then the nodes to be Ready. The apply is
 * tried up to 60 times, 3 s apart (3 minutes while connections are refused): a control plane that restarts (a
 * fault of the scenario, a loaded host) refuses them for a while. The step's timeout bounds the whole.
 */
export function applyBridgeDaemonSetScript(manifest: string, timeoutSeconds: number): string {
  const manifestPath = `${harnessStateDir}/${bridgeDaemonSetName}.yaml`;
  return `export KUBECONFIG=/etc/kubernetes/admin.conf
${retriedKubectlFunction}
mkdir -p ${quote(harnessStateDir)}
cat > ${quote(manifestPath)} ${heredoc(manifest, "YAML")}
kube apply -f ${quote(manifestPath)}
deadline=$((SECONDS + ${timeoutSeconds}))
until kubectl --request-timeout=20s -n kube-system rollout status ds/${bridgeDaemonSetName} --timeout=20s; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "harness: DaemonSet ${bridgeDaemonSetName} not rolled out after ${timeoutSeconds} s" >&2
    kubectl --request-timeout=20s -n kube-system get pods -l app=${bridgeDaemonSetName} -o wide >&2 || true
    exit 1
  fi
  sleep 5
done
until kubectl --request-timeout=20s wait --for=condition=Ready node --all --timeout=20s; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "harness: nodes not Ready ${timeoutSeconds} s after the DaemonSet was applied" >&2
    kubectl --request-timeout=20s get nodes -o wide >&2 || true
    exit 1
  fi
  sleep 5
done
kube get nodes -o wide`;
}

/** Where the installer image comes from: built here with a built release, else busybox from Docker Hub. */
export const upstreamCniInstallerImage = "docker.io/library/busybox:1.36.1";

/** How long the step waits for the DaemonSet's pods and then the nodes to be Ready. */
const readyTimeoutSeconds = 300;

/** `cni.plugin: bridge-daemonset`: applies the DaemonSet from the control plane once kubeadm init is done. */
export const bridgeDaemonSetRecipe: Recipe = {
  name: "bridge-cni-daemonset",
  plan({ scenario, machines }) {
    if (scenario.kubernetes === "none" || scenario.cni.plugin !== "bridge-daemonset")
      return { steps: [], artifacts: [] };
    const controlPlane = machines.find((m) => m.role === "control-plane");
    if (controlPlane === undefined) return { steps: [], artifacts: [] };
    const release = kubernetesRelease(scenario.kubernetes.version);
    const image =
      release.source.from === "debian-source" ? release.source.cniInstallerImage : upstreamCniInstallerImage;
    const manifest = bridgeDaemonSetManifest(machines, scenario.cni.podSubnet, image);
    const breaks = faultsBreak(scenario, "bootstrap", "pod-network");
    return {
      steps: [
        scriptStep({
          recipe: "bridge-cni-daemonset",
          name: "bridge-daemonset",
          phase: "cni",
          description: `apply DaemonSet kube-system/${bridgeDaemonSetName} (${image}): its init container writes the node's ${bridgeConfigPath} from a ConfigMap, as flannel's and Calico's do; wait up to ${readyTimeoutSeconds / 60}m for its pods and the nodes to be Ready${breaks ? "; a fault of this scenario is expected to break it" : ""}`,
          nodes: [controlPlane],
          body: () => applyBridgeDaemonSetScript(manifest, readyTimeoutSeconds),
          // The wait, plus the retried apply (up to 3 minutes) and a minute of slack.
          timeoutMs: (readyTimeoutSeconds + 240) * 1000,
          expect: breaks ? "any" : "success",
        }),
      ],
      artifacts: [],
    };
  },
};
