// Every malformed fixture must fail with exit code 2, a file:line:col message naming the field, and no stack trace.
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCliInProcess } from "../cli/testing/run-cli-in-process.ts";

const dir = path.join(import.meta.dirname, "fixtures", "invalid");

/** fixture -> [line, col, field path ("" for file-level problems), a phrase from the message]. */
const expected: Record<string, [number, number, string, string]> = {
  "bad-debian-version.yaml": [13, 16, "runtime.containerd.source.version", "Debian package version"],
  "bad-duration.yaml": [16, 14, "steps[0].timeout", "must be a duration"],
  "bad-kubernetes-version.yaml": [5, 12, "kubernetes.version", "Kubernetes version like 1.30.4"],
  "bad-link.yaml": [2, 9, "links[0]", "valid url"],
  "bad-pod-subnet.yaml": [15, 14, "cni.podSubnet", "IPv4 CIDR"],
  "bad-regex.yaml": [20, 14, "observe.probes[0].match", "missing closing )"],
  "regex-backreference.yaml": [20, 14, "observe.probes[0].match", "no backreferences or lookaround"],
  "bad-release-version.yaml": [12, 16, "runtime.containerd.source.version", "release version"],
  "bad-role.yaml": [6, 11, "nodes[0].role", "expected one of control-plane, worker, standalone"],
  "bad-source-kind.yaml": [
    11,
    13,
    "runtime.containerd.source.from",
    "expected one of distro, apt, release, file",
  ],
  "bad-verdict.yaml": [22, 12, "expect.verdict", "expected one of reproduced, healthy"],
  "check-unknown-probe.yaml": [24, 14, "expect.checks[0].probe", 'unknown probe "hello-reslt"'],
  "duplicate-node-names.yaml": [7, 11, "nodes[1].name", 'duplicate node name "node1"'],
  "empty-nodes.yaml": [4, 8, "nodes", "at least one node"],
  "empty.yaml": [1, 1, "", "file is empty"],
  "expect-no-checks.yaml": [23, 11, "expect.checks", "at least one check"],
  "matrix-bad-value-type.yaml": [30, 19, "matrix.axes.cpus.values[1]", "nodes[0].cpus: expected a number"],
  "matrix-exclude-unknown-axis.yaml": [32, 7, "matrix.exclude[0].kernel", 'unknown axis "kernel"'],
  "matrix-unknown-path.yaml": [
    30,
    16,
    "matrix.axes.containerd.values[0]",
    'unknown key "sauce" (did you mean "source"?)',
  ],
  "missing-runtime.yaml": [1, 1, "runtime", "is required"],
  "not-a-mapping.yaml": [1, 1, "", "must be a YAML mapping"],
  "step-bad-phase.yaml": [14, 12, "steps[0].phase", "expected one of prepare-os"],
  "step-unknown-node.yaml": [15, 13, "steps[0].nodes[0]", 'unknown node "node2"'],
  "step-harness-name.yaml": [15, 11, "steps[0].name", "the harness's own step"],
  "step-probe-kubeadm-without-kubernetes.yaml": [
    16,
    13,
    "observe.probes[0].step",
    'unknown step "kubeadm-init" (steps: none)',
  ],
  "kernel-args-cloud-image.yaml": [4, 13, "kernelArgs", "ubuntu-24.04 boots its own bootloader"],
  "bad-kernel-arg.yaml": [4, 14, "kernelArgs[0]", "must be one kernel argument"],
  "bad-preflight-check.yaml": [9, 33, "kubernetes.ignorePreflightErrors[1]", "kubeadm preflight check name"],
  "bad-kubelet-verbosity.yaml": [9, 21, "kubernetes.kubeletVerbosity", "must be at most 10"],
  "hostile-latin1.yaml": [2, 17, "", "is not UTF-8: byte 0xe9"],
  "hostile-proto-key.yaml": [3, 1, "", "the key __proto__ is not a scenario field"],
  "hostile-collection-key.yaml": [3, 3, "", "a key must be a plain word"],
  "hostile-yaml-tag.yaml": [2, 14, "", "YAML tag !!js/function is not allowed"],
  "hostile-interval-0.yaml": [17, 13, "observe.interval", "must be at least 100ms"],
  "hostile-memory.yaml": [7, 13, "nodes[0].memory", "must be at most 512G"],
  "hostile-ctl.yaml": [2, 14, "description", "no control characters"],
  "hostile-timeout.yaml": [16, 14, "steps[0].timeout", "must be at most 24h"],
  "hostile-jslink.yaml": [26, 9, "links[0]", "must be an http(s) link"],
  "hostile-many-nodes.yaml": [5, 3, "nodes", "must be at most 64"],
  "hostile-matrix-bomb.yaml": [28, 5, "matrix.axes", "multiply to more than 4096 cells"],
  "hostile-matrix-300.yaml": [
    28,
    5,
    "matrix.axes",
    "multiply to 300 cells, more than the 256 allowed: pass --max-cells 300",
  ],
  "hostile-matrix-rename.yaml": [
    33,
    23,
    "matrix.axes.x.values[0].set.name",
    "a matrix value cannot set name",
  ],
  "local-file-missing-sha256.yaml": [14, 7, "runtime.runc.source.sha256", "is required"],
  "local-file-outside-folder.yaml": [
    15,
    13,
    "runtime.runc.source.path",
    "may not leave the scenario's folder",
  ],
  "local-file-not-there.yaml": [15, 13, "runtime.runc.source.path", "no-such-runc does not exist"],
  "two-control-planes.yaml": [10, 11, "nodes[1].role", "only one control-plane"],
  "docker-dockershim-removed.yaml": [10, 9, "runtime.kind", "removed the kubelet's dockershim"],
  "fault-dockershim-on-containerd.yaml": [
    17,
    11,
    "faults[0].kind",
    "needs kubernetes and runtime.kind docker",
  ],
  "fault-bad-phase.yaml": [19, 12, "faults[0].phase", "expected one of configure, bootstrap"],
  "unknown-fault-kind.yaml": [13, 11, "faults[0].kind", 'did you mean "cgroupfs-driver"'],
  "bridge-pod-subnet-too-narrow.yaml": [16, 14, "cni.podSubnet", "podSubnet must be a /8 to /24, not /25"],
  "unknown-image.yaml": [
    3,
    8,
    "image",
    "expected one of ubuntu-22.04, ubuntu-24.04, debian-11, debian-12, debian-13",
  ],
  "unknown-nested-key.yaml": [6, 5, "nodes[0].rol", 'unknown key "rol" (did you mean "role"?)'],
  "unknown-top-key.yaml": [4, 1, "nodez", 'unknown key "nodez" (did you mean "nodes"?)'],
  "unsafe-name-path.yaml": [1, 7, "name", "no path separators"],
  "unsafe-name-shell.yaml": [1, 7, "name", "shell metacharacters"],
  "unsafe-node-name.yaml": [5, 11, "nodes[0].name", "shell metacharacters"],
  "worker-without-kubernetes.yaml": [6, 11, "nodes[0].role", "role worker needs kubernetes"],
  "wrong-type-cpus.yaml": [7, 11, "nodes[0].cpus", "expected a number"],
  "wrong-type-nodes-mapping.yaml": [5, 3, "nodes", "expected a list, got a mapping"],
  "yaml-alias-bomb.yaml": [1, 1, "", "alias bomb"],
  "yaml-bad-indent.yaml": [1, 7, "", "YAML syntax"],
  "yaml-duplicate-key.yaml": [4, 1, "", "Map keys must be unique"],
  "yaml-tab-indent.yaml": [6, 1, "", "Tabs are not allowed"],
  "yaml-two-documents.yaml": [26, 1, "", "multiple documents"],
  "yaml-unclosed-quote.yaml": [3, 1, "", "Missing closing"],
};

describe("harness validate on malformed scenarios", () => {
  it("has an expectation for every fixture, and at least 30 fixtures", () => {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith(".yaml"))
      .sort();
    expect(files).toEqual(Object.keys(expected).sort());
    expect(files.length).toBeGreaterThanOrEqual(30);
  });

  it.each(Object.entries(expected))("%s", async (name, [line, col, field, phrase]) => {
    const file = path.join(dir, name);
    const { code, stderr, stdout } = await runCliInProcess(["validate", file]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    const prefix = `${file}:${line}:${col}: ${field === "" ? "" : `${field}: `}`;
    const hit = stderr.split("\n").find((l) => l.startsWith(prefix));
    expect(hit, `no line starting with ${prefix} in:\n${stderr}`).toBeDefined();
    expect(hit).toContain(phrase);
    expect(stderr).not.toMatch(/^\s+at /m);
  });
});
