import { afterAll, describe, expect, it } from "vitest";
import { attachBodyTarget, buildCommentBody } from "./comment-body.ts";
import { readRunBundle } from "./run-bundle.ts";
import { removeTempDirs, sampleRunRecord, writeRunDir } from "./testing/run-dir-fixture.ts";

describe("buildCommentBody", () => {
  it("says verdict, scenario, environment, evidence, steps, gantt and collapsed files", async () => {
    const body = buildCommentBody(await readRunBundle(await writeRunDir()));
    expect(body.startsWith("<!-- k8s-node-harness:attach cell=debian13-containerd16-apparmor -->\n")).toBe(
      true,
    );
    expect(body).toContain("### ✅ `debian13-containerd16-apparmor`: bug reproduced, as expected");
    expect(body).toContain(
      "**Scenario** `debian13-containerd16-apparmor` (`scenarios/debian13-containerd16-apparmor.yaml`)",
    );
    expect(body).toContain("| containerd | 1.6.20 |");
    expect(body).toContain("| kernel | 6.12.38+deb13-amd64 |");
    expect(body).toContain('#### Key evidence\n\n```\napparmor="DENIED" operation="signal"');
    expect(body).toContain(
      "| 2 | kill the container | workload | node1 | expected-failure | 1.2 s | 1 | unable to signal init: permission denied |",
    );
    expect(body).toContain("#### Timeline\n\n```mermaid\ngantt\n");
    expect(body).not.toContain("<details><summary>summary.md</summary>");
    expect(body).toContain("<details><summary>logs/node1/dmesg.log (");
    expect(body).toContain("Full files: the run directory `20261123-180000-ab12`");
    expect(body).not.toContain("Trimmed");
  });

  it("marks a failed cell and bolds its failed step", async () => {
    const base = sampleRunRecord();
    const record = sampleRunRecord({
      verdict: "not-reproduced",
      pass: false,
      steps: base.steps.map((s) => (s.id === "kill" ? { ...s, outcome: "failed" as const } : s)),
    });
    const body = buildCommentBody(await readRunBundle(await writeRunDir({ record })));
    expect(body).toContain(
      "### ❌ `debian13-containerd16-apparmor`: bug not reproduced, though it was expected to be",
    );
    expect(body).toContain("| **failed** |");
  });

  it("stays under its 40,000-character target with huge logs and says what it trimmed", async () => {
    const big = Array.from({ length: 40_000 }, (_, i) => `Nov 23 18:01:${i} node1 kubelet: line ${i}`).join(
      "\n",
    );
    const dir = await writeRunDir({
      logs: { "node1/kubelet.log": big, "node1/containerd.log": big, "node1/small.log": "ok\n" },
    });
    const body = buildCommentBody(await readRunBundle(dir), { gistUrl: "https://gist.github.test/g1" });
    expect(body.length).toBeLessThanOrEqual(attachBodyTarget);
    expect(body.length).toBeGreaterThan(attachBodyTarget - 5_000);
    expect(body).toContain(`line 39999`);
    expect(body).toMatch(
      /> ✂️ Trimmed to keep the comment near 40,000 characters \(GitHub allows 65,536\): .*logs\/node1\/kubelet\.log \([\d.]+ MB\) cut to its last/,
    );
    expect(body).toContain("The full files are in the [secret gist](https://gist.github.test/g1)");
    expect(body).toContain("<details><summary>logs/node1/small.log (3 B)</summary>");
  });

  it("redacts token-shaped secrets and the given token from every part", async () => {
    const token = `ghp_${"q".repeat(36)}`;
    const record = sampleRunRecord({
      evidence: [`curl -H "Authorization: token ${token}"`],
      reason: "used plain-secret-1",
    });
    const dir = await writeRunDir({
      record,
      logs: { "node1/env.log": `AWS=AKIAIOSFODNN7EXAMPLE GH=${token}\n` },
    });
    const body = buildCommentBody(await readRunBundle(dir), { secrets: ["plain-secret-1"] });
    expect(body).not.toContain(token);
    expect(body).not.toContain("plain-secret-1");
    expect(body).not.toContain("AKIAIOSFODNN7EXAMPLE");
    expect(body).toContain("[REDACTED AWS access key]");
  });

  it("redacts an evidence line before cutting it, so no token prefix survives the cut", async () => {
    const token = `ghp_${"t".repeat(36)}`;
    const record = sampleRunRecord({ evidence: [`${"x".repeat(390)} ${token}`] });
    const body = buildCommentBody(await readRunBundle(await writeRunDir({ record })));
    expect(body).not.toContain("ghp_t");
    expect(body).toContain(`${"x".repeat(390)} [REDACTED`);
  });

  it("works without summary.md, timeline.html or logs", async () => {
    const dir = await writeRunDir({ summary: null, timelineHtml: null, logs: {} });
    const body = buildCommentBody(await readRunBundle(dir));
    expect(body).not.toContain("#### Timeline");
    expect(body).not.toContain("<details>");
  });
});

afterAll(removeTempDirs);
