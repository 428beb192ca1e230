import { describe, expect, it } from "vitest";
import { podRestartsProbe } from "./pod-restarts-probe.ts";
import { contextOf, ok, specOf } from "./testing/probe-fixtures.ts";

/** A PodList from the documented core/v1 shape (containerStatuses[].restartCount), not recorded. */
function podList(
  pods: { name: string; node: string; restarts: Record<string, number>; init?: number }[],
): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "List",
    items: pods.map((p) => ({
      metadata: { name: p.name, namespace: "kube-system" },
      spec: { nodeName: p.node },
      status: {
        phase: "Running",
        ...(p.init === undefined ? {} : { initContainerStatuses: [{ name: "init", restartCount: p.init }] }),
        containerStatuses: Object.entries(p.restarts).map(([name, restartCount]) => ({ name, restartCount })),
      },
    })),
  });
}

describe("pod-restarts probe", () => {
  const ctx = contextOf();
  it.each([
    {
      spec: { kind: "pod-restarts" as const },
      command:
        "kubectl --kubeconfig /etc/kubernetes/admin.conf --request-timeout=45s get pods -n kube-system -o json",
    },
    {
      spec: { kind: "pod-restarts" as const, namespace: "default", selector: "app=web" },
      command:
        "kubectl --kubeconfig /etc/kubernetes/admin.conf --request-timeout=45s get pods -n default -l app=web -o json",
    },
    {
      spec: { kind: "pod-restarts" as const, selector: "tier in (control-plane)" },
      command:
        "kubectl --kubeconfig /etc/kubernetes/admin.conf --request-timeout=45s get pods -n kube-system -l 'tier in (control-plane)' -o json",
    },
  ])("renders $command", async ({ spec, command }) => {
    expect(podRestartsProbe.command(specOf(spec), await ctx)).toBe(command);
  });

  it.each([
    {
      name: "sums restarts over pods and containers, init containers included (documented format, not recorded)",
      stdout: podList([
        { name: "etcd-cp", node: "cp", restarts: { etcd: 7 } },
        { name: "kube-apiserver-cp", node: "cp", restarts: { "kube-apiserver": 5 } },
        { name: "kube-flannel-ds-x", node: "worker", restarts: { "kube-flannel": 1 }, init: 2 },
      ]),
      value: 15,
      evidence: [
        "kube-system/etcd-cp on cp restarts=7 (etcd=7)",
        "kube-system/kube-apiserver-cp on cp restarts=5 (kube-apiserver=5)",
        "kube-system/kube-flannel-ds-x on worker restarts=3 (init=2, kube-flannel=1)",
      ],
    },
    {
      name: "pods without container statuses yet count 0 (documented format, not recorded)",
      stdout: JSON.stringify({
        items: [{ metadata: { name: "web-1", namespace: "default" }, status: { phase: "Pending" } }],
      }),
      value: 0,
      evidence: ["default/web-1 restarts=0"],
    },
    {
      name: "no pods selected: no value, so atMost cannot hold over pods that never existed",
      stdout: JSON.stringify({ apiVersion: "v1", items: [], kind: "List" }),
      value: null,
      evidence: ["no pods selected (namespace kube-system): nothing to count"],
    },
  ])("$name", async ({ stdout, value, evidence }) => {
    expect(podRestartsProbe.parse(ok(stdout), specOf({ kind: "pod-restarts" }), await ctx)).toEqual({
      value,
      evidence,
    });
  });
});
