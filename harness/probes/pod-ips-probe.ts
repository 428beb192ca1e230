// Probe kind `pod-ips`: pods whose IP lies outside the scenario's pod subnet (e.g. Docker's 172.17.0.0/16).
import { quote } from "../recipes/shell.ts";
import { ipv4InCidr } from "./ipv4-cidr.ts";
import { kubectl, readKubectlJson } from "./kubectl.ts";
import { podList } from "./kubernetes-objects.ts";
import type { ProbeDefinition } from "./probe-definition.ts";
import { selection } from "./pod-selection.ts";

/**
 * Count of pods (hostNetwork pods excluded: they carry the node's address) whose IPv4 address is outside
 * `cni.podSubnet`. Evidence: every pod with its IP and node, plus a line for each IP shared by several pods. No
 * value while no selected pod has an address: a count over nothing would say no pod is outside.
 */
export const podIpsProbe: ProbeDefinition<"pod-ips"> = {
  kind: "pod-ips",
  cluster: true,
  command: (spec) =>
    `${kubectl} get pods -n ${quote(spec.namespace)}${spec.selector ? ` -l ${quote(spec.selector)}` : ""} -o json`,
  parse: (out, spec, ctx) => {
    const read = readKubectlJson(out, podList);
    if (!read.ok) return read.sample;
    const subnet = ctx.scenario.cni.podSubnet;
    let outside = 0;
    const evidence: string[] = [];
    const byIp = new Map<string, string[]>();
    for (const pod of read.value.items) {
      if (pod.spec.hostNetwork === true) continue;
      const name = `${pod.metadata.namespace ?? ""}/${pod.metadata.name}`;
      const node = pod.spec.nodeName ?? "unscheduled";
      const ips = (pod.status.podIPs?.map((p) => p.ip) ?? [pod.status.podIP ?? ""]).filter(
        (ip) => ip !== "" && ip.includes("."),
      );
      const ip = ips[0];
      if (ip === undefined) {
        evidence.push(`${name} on ${node}: no IPv4 address yet`);
        continue;
      }
      byIp.set(ip, [...(byIp.get(ip) ?? []), `${name} on ${node}`]);
      const inside = ipv4InCidr(ip, subnet);
      if (!inside) outside += 1;
      evidence.push(`${name} on ${node}: ${ip} ${inside ? "inside" : "OUTSIDE"} ${subnet}`);
    }
    if (byIp.size === 0)
      return {
        value: null,
        evidence: [
          `no selected pod has an IPv4 address (${selection(spec)}): nothing to compare`,
          ...evidence,
        ],
      };
    for (const [ip, pods] of byIp)
      if (pods.length > 1) evidence.push(`${ip} is shared by ${pods.length} pods: ${pods.join(", ")}`);
    return { value: outside, evidence };
  },
};
