import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { kubeadmOutputLog } from "../probes/preflight-probe.ts";
import { recorded } from "../probes/testing/probe-fixtures.ts";
import { joinCommandPath } from "./kubeadm-init.ts";
import { kubeadmJoinRecipe } from "./kubeadm-join.ts";
import { kubeScenario, recipeContext } from "./testing/scenario-context.ts";

/** Runs worker1's join script against a join-command file, with a stub `kubeadm` on PATH that logs its argv. */
function join(joinFile: string | null): { status: number | null; stderr: string; argv: string[] } {
  const step = kubeadmJoinRecipe.plan(recipeContext(kubeScenario())).steps[0];
  if (step?.kind !== "script") throw new Error("no join step");
  const dir = mkdtempSync(path.join(tmpdir(), "kubeadm-join-"));
  mkdirSync(path.join(dir, "bin"));
  writeFileSync(
    path.join(dir, "bin", "kubeadm"),
    `#!/usr/bin/env bash\nprintf '%s\\n' "$@" > "${dir}/argv"\n`,
  );
  chmodSync(path.join(dir, "bin", "kubeadm"), 0o755);
  if (joinFile !== null) writeFileSync(path.join(dir, "join-command"), joinFile);
  // The same script with its two absolute paths moved into the temp dir.
  const script = (step.runs[0]?.script ?? "")
    .replaceAll(joinCommandPath, path.join(dir, "join-command"))
    .replaceAll(kubeadmOutputLog, path.join(dir, "kubeadm.log"));
  const r = spawnSync("bash", ["-c", script], {
    encoding: "utf8",
    env: { ...process.env, PATH: `${path.join(dir, "bin")}:${process.env.PATH ?? ""}` },
  });
  let argv: string[] = [];
  try {
    argv = readFileSync(path.join(dir, "argv"), "utf8").trimEnd().split("\n");
  } catch {
    argv = [];
  }
  return { status: r.status, stderr: r.stderr, argv };
}

const socketArgs = ["--cri-socket", "unix:///run/containerd/containerd.sock", "--node-name", "worker1"];

describe("the kubeadm-join script reading the join command file (stub kubeadm on PATH)", () => {
  it.each([
    {
      name: "print-join-command output (recorded kubeadm v1.9, old argument order)",
      text: recorded("kubeadm/token-create-print-join-command-v1.9.txt"),
      argv: [
        "join",
        "192.168.99.100:8443",
        "--token",
        "447067.20b55955bd6abe6c",
        "--discovery-token-ca-cert-hash",
        "sha256:17023a5c90b996e50c514e63e161e46f78be216fd48c0c3df3be67e008b28889",
      ],
    },
    {
      name: "kubeadm init's closing prose and indented join line (recorded kubeadm ~1.11)",
      text: recorded("kubeadm/init-tail-master-era-2018.txt"),
      argv: [
        "join",
        "172.18.0.2:6443",
        "--token",
        "sr89p7.6qtf5dpaj6useikx",
        "--discovery-token-ca-cert-hash",
        "sha256:948c8062bcb97c2c7cd7b4a083475fdf300f354bfbe65666c63514e55788893a",
      ],
    },
    {
      name: "split with backslash + TAB as kubeadm >= 1.13 prints it (documented format, not recorded)",
      text: `kubeadm join 10.200.0.11:6443 --token abcdef.0123456789abcdef \\\n\t--discovery-token-ca-cert-hash sha256:${"a".repeat(64)}\n`,
      argv: [
        "join",
        "10.200.0.11:6443",
        "--token",
        "abcdef.0123456789abcdef",
        "--discovery-token-ca-cert-hash",
        `sha256:${"a".repeat(64)}`,
      ],
    },
  ])("$name", ({ text, argv }) => {
    const r = join(text);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.argv).toEqual([...argv, ...socketArgs]);
  });

  it.each([
    { name: "a missing file", text: null, message: /join-command is missing or empty: the runner copies it/ },
    {
      name: "a file without a join command",
      text: "[init] Using Kubernetes version: v1.30.4\n",
      message: /does not hold a kubeadm join command/,
    },
  ])("fails clearly on $name without calling kubeadm", ({ text, message }) => {
    const r = join(text);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.argv).toEqual([]);
  });
});
