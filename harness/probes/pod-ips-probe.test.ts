import { describe, expect, it } from "vitest";
import { podIpsProbe } from "./pod-ips-probe.ts";
import { contextOf, ok, specOf } from "./testing/probe-fixtures.ts";

/** A PodList from the documented core/v1 shape (status.podIP/podIPs, spec.hostNetwork), not recorded. */
function pod(name: string, node: string, ip: string | null, hostNetwork = false): unknown {
  return {
    metadata: { name, namespace: "default" },
    spec: { nodeName: node, ...(hostNetwork ? { hostNetwork: true } : {}) },
    status: ip === null ? { phase: "Pending" } : { phase: "Running", podIP: ip, podIPs: [{ ip }] },
  };
}

describe("pod-ips probe (documented format, not recorded)", () => {
  const ctx = contextOf();
  it("renders the pod listing", async () => {
    expect(podIpsProbe.command(specOf({ kind: "pod-ips", selector: "app=smoke" }), await ctx)).toBe(
      "kubectl --kubeconfig /etc/kubernetes/admin.conf --request-timeout=45s get pods -n default -l app=smoke -o json",
    );
  });

  it.each([
    {
      name: "cri-dockerd without CNI: Docker bridge addresses, the same IP on two nodes",
      items: [pod("smoke-a", "cp", "172.17.0.2"), pod("smoke-b", "worker", "172.17.0.2")],
      value: 2,
      evidence: [
        "default/smoke-a on cp: 172.17.0.2 OUTSIDE 10.244.0.0/16",
        "default/smoke-b on worker: 172.17.0.2 OUTSIDE 10.244.0.0/16",
        "172.17.0.2 is shared by 2 pods: default/smoke-a on cp, default/smoke-b on worker",
      ],
    },
    {
      name: "flannel: every pod inside the pod subnet, hostNetwork pods skipped",
      items: [
        pod("smoke-a", "cp", "10.244.0.4"),
        pod("smoke-b", "worker", "10.244.1.3"),
        pod("kube-proxy-x", "cp", "10.200.0.11", true),
      ],
      value: 0,
      evidence: [
        "default/smoke-a on cp: 10.244.0.4 inside 10.244.0.0/16",
        "default/smoke-b on worker: 10.244.1.3 inside 10.244.0.0/16",
      ],
    },
    {
      name: "no pod with an address yet: no value, so never-outside cannot hold over nothing",
      items: [pod("smoke-a", "cp", null), pod("kube-proxy-x", "cp", "10.200.0.11", true)],
      value: null,
      evidence: [
        "no selected pod has an IPv4 address (namespace default): nothing to compare",
        "default/smoke-a on cp: no IPv4 address yet",
      ],
    },
    {
      name: "a pod without an address yet beside one with an address",
      items: [pod("smoke-a", "cp", null), pod("smoke-b", "worker", "10.244.1.3")],
      value: 0,
      evidence: [
        "default/smoke-a on cp: no IPv4 address yet",
        "default/smoke-b on worker: 10.244.1.3 inside 10.244.0.0/16",
      ],
    },
  ])("$name", async ({ items, value, evidence }) => {
    const stdout = JSON.stringify({ apiVersion: "v1", kind: "List", items });
    expect(podIpsProbe.parse(ok(stdout), specOf({ kind: "pod-ips" }), await ctx)).toEqual({
      value,
      evidence,
    });
  });
});
