import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { eventsProbe, undeliveredMarker } from "./events-probe.ts";
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
    expect(eventsProbe.command(specOf(spec), await ctx)?.split("; rc=$?; ")[0]).toBe(command);
  });

  it("also reads the kubelet journal for dropped events of the reason, and keeps kubectl's exit code", async () => {
    const lines = eventsProbe
      .command(specOf({ kind: "events", reason: "SandboxChanged" }), await ctx)
      ?.split("; ");
    expect(lines?.slice(1)).toEqual([
      "rc=$?",
      `echo '${undeliveredMarker}'`,
      "journalctl -q --no-pager -o short-iso-precise -b -u kubelet ${HARNESS_RUN_STARTED_AT:+--since=@$HARNESS_RUN_STARTED_AT} | grep -F 'Reason:\"SandboxChanged\"' | grep -E '\\((will not retry|retry limit exceeded)!\\)$' | tail -n 50",
      "exit $rc",
    ]);
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

  // Both journal lines are real: kubelet 1.20.2 on a Debian 11 guest of this harness (see recorded/README.md).
  const kubeletEventWrites = readFileSync(
    path.join(import.meta.dirname, "recorded/journal/kubelet-1.20.2-event-writes-debian11.txt"),
    "utf8",
  );

  it("counts an event the kubelet dropped (will not retry!) but not one it retried (recorded output)", async () => {
    const stdout = `${JSON.stringify({ apiVersion: "v1", kind: "List", items: [] })}\n${undeliveredMarker}\n${kubeletEventWrites}`;
    expect(eventsProbe.parse(ok(stdout), specOf({ kind: "events", reason: "Starting" }), await ctx)).toEqual({
      value: 1,
      evidence: [
        '2026-12-04T01:18:47.055201+0000 default/Node/cp1 Starting (x1) not delivered: namespaces "default" not found',
      ],
    });
  });

  it("adds dropped events to the stored ones, and ignores dropped events of other reasons (recorded output)", async () => {
    const items = [event("Starting", "cp1", "Starting kubelet.", { count: 2 })];
    const stdout = `${JSON.stringify({ apiVersion: "v1", kind: "List", items })}\n${undeliveredMarker}\n${kubeletEventWrites}`;
    const starting = eventsProbe.parse(ok(stdout), specOf({ kind: "events", reason: "Starting" }), await ctx);
    expect(starting.value).toBe(3);
    const other = eventsProbe.parse(
      ok(stdout),
      specOf({ kind: "events", reason: "SandboxChanged" }),
      await ctx,
    );
    expect(other).toEqual({ value: 0, evidence: [] });
  });

  it("gives no value when kubectl failed, whatever the journal says", async () => {
    const out = {
      stdout: `${undeliveredMarker}\n${kubeletEventWrites}`,
      stderr: "Unable to connect to the server",
      exitCode: 1,
    };
    expect(
      eventsProbe.parse(out, specOf({ kind: "events", reason: "Starting" }), await ctx).value,
    ).toBeNull();
  });

  it.each([
    { kubectlExit: 0, value: 1 },
    { kubectlExit: 1, value: null },
  ])(
    "its command, run by bash with kubectl $kubectlExit and the recorded journal, parses to $value (stand-in kubectl and journalctl)",
    async ({ kubectlExit, value }) => {
      const bin = await mkdtemp(path.join(tmpdir(), "events-probe-"));
      try {
        const journal = path.join(bin, "journal.txt");
        await writeFile(journal, kubeletEventWrites);
        await writeFile(
          path.join(bin, "kubectl"),
          `#!/bin/sh\necho '{"apiVersion":"v1","kind":"List","items":[]}'\nexit ${kubectlExit}\n`,
        );
        await writeFile(path.join(bin, "journalctl"), `#!/bin/sh\ncat '${journal}'\n`);
        await chmod(path.join(bin, "kubectl"), 0o755);
        await chmod(path.join(bin, "journalctl"), 0o755);
        const command = eventsProbe.command(specOf({ kind: "events", reason: "Starting" }), await ctx) ?? "";
        const r = await execa("bash", ["-c", command], {
          env: { PATH: `${bin}:${process.env.PATH ?? ""}` },
          reject: false,
        });
        expect(r.exitCode).toBe(kubectlExit);
        const out = { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode ?? -1 };
        const sample = eventsProbe.parse(out, specOf({ kind: "events", reason: "Starting" }), await ctx);
        expect(sample.value).toBe(value);
      } finally {
        await rm(bin, { recursive: true, force: true });
      }
    },
  );
});
