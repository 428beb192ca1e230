import { describe, expect, it } from "vitest";
import { nodeConditionProbe } from "./node-condition-probe.ts";
import { contextOf, ok, recorded, specOf } from "./testing/probe-fixtures.ts";

const realNodeList = recorded("kubectl/get-nodes-json-notready-cni-not-initialized-v1.27.0.json");

/** A NodeList built from the documented core/v1 shape, with the PLEG message of describe-node-conditions-pleg-2019.txt. */
function nodeList(nodes: { name: string; ready: string; reason: string; message: string }[]): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "List",
    items: nodes.map((n) => ({
      metadata: { name: n.name },
      status: {
        conditions: [
          { type: "MemoryPressure", status: "False", reason: "KubeletHasSufficientMemory", message: "ok" },
          { type: "Ready", status: n.ready, reason: n.reason, message: n.message },
        ],
      },
    })),
  });
}
const pleg = "PLEG is not healthy: pleg was last seen active 16h17m50.791825508s ago; threshold is 3m0s";
const twoNodes = nodeList([
  { name: "cp", ready: "True", reason: "KubeletReady", message: "kubelet is posting ready status" },
  { name: "worker", ready: "False", reason: "KubeletNotReady", message: pleg },
]);

describe("node-condition probe", () => {
  const ctx = contextOf();
  it("runs kubectl with the admin kubeconfig", async () => {
    expect(nodeConditionProbe.command(specOf({ kind: "node-condition" }), await ctx)).toBe(
      "kubectl --kubeconfig /etc/kubernetes/admin.conf --request-timeout=45s get nodes -o json",
    );
  });

  it.each([
    {
      name: "Ready=False with reason and message (recorded kubectl 1.27.0 NodeList)",
      stdout: realNodeList,
      spec: { kind: "node-condition" as const },
      value: "False",
      evidence: [
        "javaedge-k8s-node-1 Ready=False reason=KubeletNotReady message=container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized",
      ],
    },
    {
      name: "another condition of the same node (recorded kubectl 1.27.0 NodeList)",
      stdout: realNodeList,
      spec: { kind: "node-condition" as const, condition: "MemoryPressure" },
      value: "False",
      evidence: [
        "javaedge-k8s-node-1 MemoryPressure=False reason=KubeletHasSufficientMemory message=kubelet has sufficient memory available",
      ],
    },
    {
      name: "one node's status when node is given (documented format, not recorded)",
      stdout: twoNodes,
      spec: { kind: "node-condition" as const, node: "worker" },
      value: "False",
      evidence: [`worker Ready=False reason=KubeletNotReady message=${pleg}`],
    },
    {
      name: "node=status pairs when nodes differ (documented format, not recorded)",
      stdout: twoNodes,
      spec: { kind: "node-condition" as const },
      value: "cp=True worker=False",
      evidence: [
        "cp Ready=True reason=KubeletReady message=kubelet is posting ready status",
        `worker Ready=False reason=KubeletNotReady message=${pleg}`,
      ],
    },
    {
      name: "a condition the node does not report (recorded kubectl 1.27.0 NodeList)",
      stdout: realNodeList,
      spec: { kind: "node-condition" as const, condition: "NetworkUnavailable" },
      value: "Missing",
      evidence: ["javaedge-k8s-node-1 NetworkUnavailable=Missing (condition not reported)"],
    },
  ])("$name", async ({ stdout, spec, value, evidence }) => {
    const sample = nodeConditionProbe.parse(ok(stdout), specOf(spec), await ctx);
    expect(sample).toEqual({ value, evidence });
  });

  it.each([
    {
      name: "kubectl failing (API server down)",
      out: {
        stdout: "",
        stderr:
          "The connection to the server 10.200.0.11:6443 was refused - did you specify the right host or port?",
        exitCode: 1,
      },
      evidence: /kubectl exited 1.*connection to the server/s,
    },
    { name: "output that is not JSON", out: ok("No resources found"), evidence: /printed no JSON/ },
    {
      name: "JSON of another shape",
      out: ok('{"items": [{"status": 3}]}'),
      evidence: /unexpected kubectl JSON/,
    },
    {
      name: "the given node not registered",
      out: ok(twoNodes),
      spec: { node: "other" },
      evidence: /node other is not registered \(nodes: cp, worker\)/,
    },
  ])("gives a null sample for $name", async ({ out, spec, evidence }) => {
    const sample = nodeConditionProbe.parse(out, specOf({ kind: "node-condition", ...spec }), await ctx);
    expect(sample.value).toBeNull();
    expect(sample.evidence.join("\n")).toMatch(evidence);
  });
});
