// Probe kind `pod-restarts`: the sum of container restart counts of the selected pods.
import { quote } from "../recipes/shell.ts";
import { kubectl, readKubectlJson } from "./kubectl.ts";
import { podList, type Pod } from "./kubernetes-objects.ts";
import type { ProbeDefinition } from "./probe-definition.ts";
import { selection } from "./pod-selection.ts";

function restartsOf(pod: Pod): { total: number; detail: string } {
  const statuses = [...(pod.status.initContainerStatuses ?? []), ...(pod.status.containerStatuses ?? [])];
  const total = statuses.reduce((sum, s) => sum + s.restartCount, 0);
  const detail = statuses.map((s) => `${s.name}=${s.restartCount}`).join(", ");
  return { total, detail };
}

/**
 * Sum of restartCount over the init and regular containers of the pods in a namespace (and selector). No value
 * when no pod is selected: a sum over nothing would let `atMost` hold for pods that never existed.
 */
export const podRestartsProbe: ProbeDefinition<"pod-restarts"> = {
  kind: "pod-restarts",
  cluster: true,
  command: (spec) =>
    `${kubectl} get pods -n ${quote(spec.namespace)}${spec.selector ? ` -l ${quote(spec.selector)}` : ""} -o json`,
  parse: (out, spec) => {
    const read = readKubectlJson(out, podList);
    if (!read.ok) return read.sample;
    if (read.value.items.length === 0)
      return { value: null, evidence: [`no pods selected (${selection(spec)}): nothing to count`] };
    let sum = 0;
    const evidence = read.value.items.map((pod) => {
      const { total, detail } = restartsOf(pod);
      sum += total;
      const where = pod.spec.nodeName ? ` on ${pod.spec.nodeName}` : "";
      return `${pod.metadata.namespace ?? ""}/${pod.metadata.name}${where} restarts=${total}${detail ? ` (${detail})` : ""}`;
    });
    return { value: sum, evidence };
  },
};
