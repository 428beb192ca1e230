import { describe, expect, it } from "vitest";
import { parsePreflightFindings, preflightProbe } from "./preflight-probe.ts";
import { contextOf, ok, recorded, specOf } from "./testing/probe-fixtures.ts";

describe("kubeadm preflight findings", () => {
  it.each([
    {
      file: "kubeadm/preflight-error-swap-v1.21.0.txt",
      found: [["ERROR", "Swap", "running with swap on is not supported. Please disable swap"]],
    },
    {
      file: "kubeadm/preflight-error-cri-v1-unimplemented-bridge-nf-v1.26.1.txt",
      found: [
        ["WARNING", "Hostname", 'hostname "10-234-42-14" could not be reached'],
        [
          "WARNING",
          "Hostname",
          'hostname "10-234-42-14": lookup 10-234-42-14 on 192.168.10.2:53: server misbehaving',
        ],
        [
          "WARNING",
          "Service-Kubelet",
          "kubelet service is not enabled, please run 'systemctl enable kubelet.service'",
        ],
        [
          "ERROR",
          "CRI",
          'container runtime is not running: output: time="2023-01-31T15:11:36+08:00" level=fatal msg="validate service connection: CRI v1 runtime API is not implemented for endpoint \\"unix:///var/run/containerd/containerd.sock\\": rpc error: code = Unimplemented desc = unknown service runtime.v1.RuntimeService", error: exit status 1',
        ],
        [
          "ERROR",
          "FileContent--proc-sys-net-bridge-bridge-nf-call-iptables",
          "/proc/sys/net/bridge/bridge-nf-call-iptables does not exist",
        ],
        [
          "ERROR",
          "FileContent--proc-sys-net-ipv4-ip_forward",
          "/proc/sys/net/ipv4/ip_forward contents are not set to 1",
        ],
      ],
    },
    {
      file: "kubeadm/preflight-error-cri-v1.30.11.txt",
      found: [
        [
          "ERROR",
          "CRI",
          'container runtime is not running: output: time="2025-04-03T22:58:14+08:00" level=fatal msg="validate service connection: validate CRI v1 runtime API for endpoint \\"unix:///var/run/containerd/containerd.sock\\": rpc error: code = Unimplemented desc = unknown service runtime.v1.RuntimeService", error: exit status 1',
        ],
      ],
    },
    {
      file: "kubeadm/preflight-error-cri-v1alpha2-2022.txt",
      found: [
        [
          "ERROR",
          "CRI",
          'container runtime is not running: output: E0731 22:55:10.706285 3979 remote_runtime.go:925] "Status from runtime service failed" err="rpc error: code = Unimplemented desc = unknown service runtime.v1alpha2.RuntimeService"',
        ],
      ],
    },
    { file: "kubeadm/error-multiple-cri-endpoints-2023.txt", found: [] },
  ])("reads $file (recorded)", ({ file, found }) => {
    const findings = parsePreflightFindings(recorded(file)).map((f) => [f.severity, f.check, f.message]);
    expect(findings).toEqual(found);
  });

  it("reads a TAB-indented ERROR as kubeadm writes it", () => {
    const text =
      "[preflight] Running pre-flight checks\n\t[ERROR Swap]: running with swap on is not supported\n";
    expect(parsePreflightFindings(text)).toEqual([
      { severity: "ERROR", check: "Swap", message: "running with swap on is not supported" },
    ]);
  });
});

describe("preflight probe", () => {
  const ctx = contextOf();
  it("counts ERRORs and lists every finding (recorded kubeadm v1.26.1 output)", async () => {
    const text = recorded("kubeadm/preflight-error-cri-v1-unimplemented-bridge-nf-v1.26.1.txt");
    const sample = preflightProbe.parse(ok(text), specOf({ kind: "preflight" }), await ctx);
    expect(sample.value).toBe(3);
    expect(sample.evidence).toHaveLength(6);
    expect(sample.evidence[3]).toMatch(
      /^\[ERROR CRI\]: container runtime is not running: .*, error: exit status 1$/,
    );
  });

  it("says kubeadm has not run when its log is missing", async () => {
    const out = {
      stdout: "",
      stderr: "cat: /var/log/harness/kubeadm.log: No such file or directory",
      exitCode: 1,
    };
    const sample = preflightProbe.parse(out, specOf({ kind: "preflight" }), await ctx);
    expect(sample.value).toBeNull();
    expect(sample.evidence[0]).toMatch(/no kubeadm output at \/var\/log\/harness\/kubeadm.log .*has not run/);
  });
});
