import { describe, expect, it } from "vitest";
import { eventsProbe } from "./events-probe.ts";
import { contextOf, ok, specOf } from "./testing/probe-fixtures.ts";

// Messages are the real ones of recorded/kubectl/describe-pod-event-sandboxchanged-v1.7.14.txt and
// describe-pod-event-failedkillpod-ubuntu24.04-2024.txt; the JSON around them follows the documented core/v1 Event.
const sandboxChanged = "Pod sandbox changed, it will be killed and re-created.";
const failedKill =
  'error killing pod: [failed to "KillContainer" for "nginx" with KillContainerError: "rpc error: code = Unknown desc = failed to stop container \\"157877bc5dee\\": unknown error after kill: runc did not terminate successfully: exit status 1: unable to signal init: permission denied\\n: unknown"]';

function event(reason: string, name: string, message: string, extra: Record<string, unknown>): unknown {
  return {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: `${name}.17a`, namespace: "kube-system" },
    involvedObject: { kind: "Pod", name, namespace: "kube-system" },
    reason,
    message,
    type: "Normal",
    source: { component: "kubelet", host: "cp" },
    ...extra,
  };
}

describe("events probe", () => {
  const ctx = contextOf();
  it.each([
    {
      spec: { kind: "events" as const, reason: "SandboxChanged" },
      command:
        "kubectl --kubeconfig /etc/kubernetes/admin.conf --request-timeout=45s get events -A --field-selector reason=SandboxChanged -o json",
    },
    {
      spec: { kind: "events" as const, reason: "FailedKillPod", namespace: "default" },
      command:
        "kubectl --kubeconfig /etc/kubernetes/admin.conf --request-timeout=45s get events -n default --field-selector reason=FailedKillPod -o json",
    },
  ])("renders $command", async ({ spec, command }) => {
    expect(eventsProbe.command(specOf(spec), await ctx)).toBe(command);
  });

  it.each([
    {
      name: "counts `count`, `series.count` and single events (documented format, not recorded; real messages)",
      reason: "SandboxChanged",
      items: [
        event("SandboxChanged", "etcd-cp", sandboxChanged, {
          count: 8,
          lastTimestamp: "2026-11-23T10:00:00Z",
        }),
        event("SandboxChanged", "kube-proxy-abc", sandboxChanged, {
          count: null,
          series: { count: 3, lastObservedTime: "2026-11-23T10:01:00.000000Z" },
          eventTime: "2026-11-23T10:00:30.000000Z",
        }),
        event("SandboxChanged", "kube-apiserver-cp", sandboxChanged, {
          lastTimestamp: "2026-11-23T10:02:00Z",
        }),
      ],
      value: 12,
      evidence: [
        `2026-11-23T10:00:00Z kube-system/Pod/etcd-cp SandboxChanged (x8): ${sandboxChanged}`,
        `2026-11-23T10:00:30.000000Z kube-system/Pod/kube-proxy-abc SandboxChanged (x3): ${sandboxChanged}`,
        `2026-11-23T10:02:00Z kube-system/Pod/kube-apiserver-cp SandboxChanged (x1): ${sandboxChanged}`,
      ],
    },
    {
      name: "ignores other reasons even if the server did not filter (documented format, not recorded)",
      reason: "FailedKillPod",
      items: [
        event("FailedKillPod", "web-1", failedKill, { count: 2, lastTimestamp: "2026-11-23T10:00:00Z" }),
        event("Killing", "web-1", "Stopping container nginx", { count: 1 }),
      ],
      value: 2,
      evidence: [`2026-11-23T10:00:00Z kube-system/Pod/web-1 FailedKillPod (x2): ${failedKill}`],
    },
    { name: "no events", reason: "SandboxChanged", items: [], value: 0, evidence: [] },
  ])("$name", async ({ reason, items, value, evidence }) => {
    const stdout = JSON.stringify({ apiVersion: "v1", kind: "List", items });
    expect(eventsProbe.parse(ok(stdout), specOf({ kind: "events", reason }), await ctx)).toEqual({
      value,
      evidence,
    });
  });
});
