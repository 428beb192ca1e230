// Probe kind `pod-restarts`: the sum of container restart counts of the selected pods.
import { quote } from "../recipes/shell.ts";
import { kubectl, readKubectlJson } from "./kubectl.ts";
import { podList, type Pod } from "./kubernetes-objects.ts";
import type { ProbeDefinition } from "./probe-definition.ts";

function restartsOf(pod: Pod): { total: number; detail: string } {
  const statuses = [...(pod.status.initContainerStatuses ?? []), ...(pod.status.containerStatuses ?? [])];
  const total = statuses.reduce((sum, s) => sum + s.restartCount, 0);
  const detail = statuses.map((s) => `${s.name}=${s.restartCount}`).join(", ");
  return { total, detail };
}

/** Sum of restartCount over the init and regular containers of the pods in a namespace (and selector). */
export const podRestartsProbe: ProbeDefinition<"pod-restarts"> = {
  kind: "pod-restarts",
  cluster: true,
  command: (spec) =>
    `${kubectl} get pods -n ${quote(spec.namespace)}${spec.selector ? ` -l ${quote(spec.selector)}` : ""} -o json`,
  parse: (out) => {
    const read = readKubectlJson(out, podList);
    if (!read.ok) return read.sample;
    let sum = 0;
    const evidence = read.value.items.map((pod) => {
      const { total, detail } = restartsOf(pod);
      sum += total;
      const where = pod.spec.nodeName ? ` on ${pod.spec.nodeName}` : "";
      return `${pod.metadata.namespace ?? ""}/${pod.metadata.name}${where} restarts=${total}${detail ? ` (${detail})` : ""}`;
    });
    return { value: sum, evidence: evidence.length > 0 ? evidence : ["no pods selected"] };
  },
};
