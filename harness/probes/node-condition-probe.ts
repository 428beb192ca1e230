// Probe kind `node-condition`: a node condition's status from `kubectl get nodes -o json`.
import { kubectl, readKubectlJson } from "./kubectl.ts";
import { nodeList } from "./kubernetes-objects.ts";
import type { ProbeDefinition } from "./probe-definition.ts";

/**
 * The status (True/False/Unknown) of one condition. With `node` set, that node's; otherwise the status all
 * nodes share, or `node=Status` pairs when they differ. Evidence: one line per node with reason and message.
 */
export const nodeConditionProbe: ProbeDefinition<"node-condition"> = {
  kind: "node-condition",
  cluster: true,
  command: () => `${kubectl} get nodes -o json`,
  parse: (out, spec) => {
    const read = readKubectlJson(out, nodeList);
    if (!read.ok) return read.sample;
    const nodes = read.value.items.filter((n) => spec.node === undefined || n.metadata.name === spec.node);
    if (nodes.length === 0) {
      const known = read.value.items.map((n) => n.metadata.name).join(", ") || "none";
      return { value: null, evidence: [`node ${spec.node ?? ""} is not registered (nodes: ${known})`] };
    }
    const readings = nodes.map((n) => {
      const c = n.status.conditions.find((x) => x.type === spec.condition);
      const status = c?.status ?? "Missing";
      const detail = c ? ` reason=${c.reason ?? ""} message=${c.message ?? ""}` : " (condition not reported)";
      return {
        node: n.metadata.name,
        status,
        line: `${n.metadata.name} ${spec.condition}=${status}${detail}`,
      };
    });
    const statuses = new Set(readings.map((r) => r.status));
    const value =
      statuses.size === 1 ? readings[0]!.status : readings.map((r) => `${r.node}=${r.status}`).join(" ");
    return { value, evidence: readings.map((r) => r.line) };
  },
};
