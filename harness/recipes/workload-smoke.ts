// Recipe: a 2-replica deployment spread over two nodes behind a ClusterIP service, and a request from one pod
// through the service that must be answered by the pod on the other node.
import { stringify } from "yaml";
import { agnhostImage } from "./data/workload.ts";
import { kubernetesRelease } from "./kubernetes-versions.ts";
import { faultsBreak } from "./bootstrap-failures.ts";
import type { Recipe } from "./recipe.ts";
import { scriptStep } from "./recipe-step.ts";
import { heredoc } from "./shell.ts";

/** Repeated objects are written out, not as YAML anchors and aliases. */
const noAliases = { aliasDuplicateObjects: false };

/** Name of the smoke deployment, its service and its `app` label. */
export const smokeName = "harness-smoke";

/** What serves the smoke requests: agnhost's netexec (pulled), or a local busybox httpd image (built releases). */
export type SmokeServer = { kind: "agnhost"; image: string } | { kind: "busybox-httpd"; image: string };

/** The container of the smoke deployment for a server. */
function smokeContainer(server: SmokeServer): Record<string, unknown> {
  if (server.kind === "agnhost")
    return {
      name: "netexec",
      image: server.image,
      args: ["netexec", "--http-port=8080"],
      ports: [{ containerPort: 8080 }],
      readinessProbe: { httpGet: { path: "/healthz", port: 8080 }, periodSeconds: 2 },
    };
  return {
    name: "httpd",
    image: server.image,
    // Imported into the runtime from the node image; there is no registry to pull it from.
    imagePullPolicy: "Never",
    ports: [{ containerPort: 8080 }],
    readinessProbe: { httpGet: { path: "/hostname", port: 8080 }, periodSeconds: 2 },
  };
}

/** The Deployment and Service, rendered with the yaml library. */
export function smokeManifest(server: SmokeServer = { kind: "agnhost", image: agnhostImage }): string {
  const labels = { app: smokeName };
  const deployment = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: smokeName, namespace: "default", labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          // One replica per node, the control plane included.
          affinity: {
            podAntiAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [
                { labelSelector: { matchLabels: labels }, topologyKey: "kubernetes.io/hostname" },
              ],
            },
          },
          tolerations: [
            { key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" },
            // The control plane's taint before Kubernetes 1.24.
            { key: "node-role.kubernetes.io/master", operator: "Exists", effect: "NoSchedule" },
          ],
          containers: [smokeContainer(server)],
        },
      },
    },
  };
  const service = {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: smokeName, namespace: "default" },
    spec: { type: "ClusterIP", selector: labels, ports: [{ port: 80, targetPort: 8080 }] },
  };
  return [stringify(deployment, noAliases), stringify(service, noAliases)].join("---\n");
}

/**
 * How long one request through kubectl may take. Under TCG with the control plane's guest at a load average of 16,
 * `kubectl exec` took 8 to more than 15 s: with 15 s, 12 of 13 attempts were cut off before they could answer.
 */
const requestTimeoutSeconds = 60;

/** How many requests the smoke step makes before it gives up on the cross-node reply. */
const requestAttempts = 10;

/** How long the deployment may take to roll out (the second pod took 4m50s to become Ready under TCG here). */
const rolloutTimeoutSeconds = 600;

/** How the client pod asks the service which pod answered: netexec's /dial, or busybox wget through kubectl exec. */
function requestCommand(server: SmokeServer): string {
  if (server.kind === "agnhost")
    return `kubectl get --request-timeout=${requestTimeoutSeconds}s --raw "/api/v1/namespaces/default/pods/$client:8080/proxy/dial?request=hostname&host=$service_ip&port=80&protocol=http&tries=1"`;
  // busybox 1.30.1's wget segfaults with -T (measured): the deadline is kept outside, by timeout.
  return `timeout ${requestTimeoutSeconds} kubectl exec "$client" -- wget -q -O - "http://$service_ip/hostname"`;
}

/** The case pattern a reply from the remote pod matches: its name quoted in netexec's JSON, or exactly its name. */
function replyPattern(server: SmokeServer): string {
  return server.kind === "agnhost" ? `*"\\"$remote\\""*` : `"$remote"`;
}

const smokeScript = (server: SmokeServer): string => `export KUBECONFIG=/etc/kubernetes/admin.conf
kubectl apply -f - ${heredoc(smokeManifest(server), "YAML")}
kubectl rollout status deployment/${smokeName} --timeout=${rolloutTimeoutSeconds}s
kubectl get nodes -o jsonpath='{range .items[*]}{.metadata.name}{" ready-since "}{.status.conditions[?(@.type=="Ready")].lastTransitionTime}{"\\n"}{end}'
kubectl get pods -l app=${smokeName} -o wide
mapfile -t pods < <(kubectl get pods -l app=${smokeName} -o jsonpath='{range .items[*]}{.metadata.name} {.spec.nodeName}{"\\n"}{end}')
if [ "\${#pods[@]}" -ne 2 ]; then
  echo "harness: expected 2 ${smokeName} pods, found \${#pods[@]}" >&2
  exit 1
fi
read -r client client_node <<< "\${pods[0]}"
read -r remote remote_node <<< "\${pods[1]}"
if [ "$client_node" = "$remote_node" ]; then
  echo "harness: both ${smokeName} pods run on $client_node; the request would not cross nodes" >&2
  exit 1
fi
service_ip=$(kubectl get service ${smokeName} -o jsonpath='{.spec.clusterIP}')
# The client pod calls the service; kube-proxy's rules must route some request to the pod on the other node.
for attempt in $(seq 1 ${requestAttempts}); do
  reply=$(${requestCommand(server)} || true)
  echo "attempt $attempt: $client ($client_node) -> $service_ip: $reply"
  case "$reply" in
    ${replyPattern(server)})
      echo "harness: cross-node request answered by $remote on $remote_node"
      exit 0
      ;;
  esac
  sleep 2
done
echo "harness: no reply from $remote ($remote_node) through service $service_ip after ${requestAttempts} attempts" >&2
exit 1`;

/** The smoke workload: Kubernetes scenarios with a CNI and at least two nodes. */
export const workloadSmokeRecipe: Recipe = {
  name: "workload-smoke",
  plan({ scenario, machines }) {
    if (scenario.kubernetes === "none" || scenario.cni.plugin === "none" || machines.length < 2)
      return { steps: [], artifacts: [] };
    const controlPlane = machines.find((m) => m.role === "control-plane");
    if (controlPlane === undefined) return { steps: [], artifacts: [] };
    const breaks = faultsBreak(scenario, "bootstrap", "pod-network");
    const release = kubernetesRelease(scenario.kubernetes.version);
    const server: SmokeServer =
      release.source.from === "debian-source"
        ? { kind: "busybox-httpd", image: release.source.smokeImage }
        : { kind: "agnhost", image: agnhostImage };
    return {
      steps: [
        scriptStep({
          recipe: "workload-smoke",
          name: "smoke",
          phase: "workload",
          description: `deployment ${smokeName} (2 replicas, one per node, ${server.image}) behind a ClusterIP service; a request from one pod through the service must be answered by the pod on the other node${breaks ? "; a fault of this scenario is expected to break it" : ""}`,
          nodes: [controlPlane],
          body: () => smokeScript(server),
          // The rollout, every attempt with its 2 s pause, and 2 minutes for the kubectl calls between them.
          timeoutMs: (rolloutTimeoutSeconds + requestAttempts * (requestTimeoutSeconds + 2) + 120) * 1000,
          expect: breaks ? "any" : "success",
        }),
      ],
      artifacts: [],
    };
  },
};
