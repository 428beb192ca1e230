import { describe, expect, it } from "vitest";
import { HarnessError } from "../errors.ts";
import { parseKubeadmJoinCommand } from "./kubeadm-join-command.ts";
import { recorded } from "./testing/probe-fixtures.ts";

const hash64 = (c: string) => `sha256:${c.repeat(64)}`;

describe("parseKubeadmJoinCommand", () => {
  it.each([
    {
      name: "init output, one line indented (recorded kubeadm ~1.11 init-tail-master-era-2018.txt)",
      text: recorded("kubeadm/init-tail-master-era-2018.txt"),
      apiServer: "172.18.0.2:6443",
      token: "sr89p7.6qtf5dpaj6useikx",
      hashes: ["sha256:948c8062bcb97c2c7cd7b4a083475fdf300f354bfbe65666c63514e55788893a"],
      controlPlane: false,
    },
    {
      name: "old argument order (recorded kubeadm v1.9 token-create-print-join-command-v1.9.txt)",
      text: recorded("kubeadm/token-create-print-join-command-v1.9.txt"),
      apiServer: "192.168.99.100:8443",
      token: "447067.20b55955bd6abe6c",
      hashes: ["sha256:17023a5c90b996e50c514e63e161e46f78be216fd48c0c3df3be67e008b28889"],
      controlPlane: false,
    },
    {
      name: "a klog line before it (recorded token-create-print-join-command-klog-prefix-2018.txt, values edited by its poster)",
      text: recorded("kubeadm/token-create-print-join-command-klog-prefix-2018.txt"),
      apiServer: "10.1.3.2:6443",
      token: "aaaaaa.bbbbbbbbbbbbbbbb",
      hashes: [`sha256:${"b".repeat(60)}`],
      controlPlane: false,
    },
    {
      name: "split with backslash + TAB as kubeadm >= 1.13 prints it (documented format, not recorded)",
      text: [
        "Then you can join any number of worker nodes by running the following on each as root:",
        "",
        "kubeadm join 10.200.0.11:6443 --token abcdef.0123456789abcdef \\",
        `\t--discovery-token-ca-cert-hash ${hash64("a")} `,
        "",
      ].join("\n"),
      apiServer: "10.200.0.11:6443",
      token: "abcdef.0123456789abcdef",
      hashes: [hash64("a")],
      controlPlane: false,
    },
    {
      name: "control-plane join with a certificate key and = flags (documented format, not recorded)",
      text: [
        "  kubeadm join 10.200.0.11:6443 --token=abcdef.0123456789abcdef \\",
        `\t--discovery-token-ca-cert-hash ${hash64("c")} \\`,
        `\t--discovery-token-ca-cert-hash ${hash64("d")} \\`,
        "\t--control-plane --certificate-key 0123abcd",
      ].join("\r\n"),
      apiServer: "10.200.0.11:6443",
      token: "abcdef.0123456789abcdef",
      hashes: [hash64("c"), hash64("d")],
      controlPlane: true,
    },
  ])("reads $name", ({ text, apiServer, token, hashes, controlPlane }) => {
    const join = parseKubeadmJoinCommand(text);
    expect(join).toMatchObject({ apiServer, token, caCertHashes: hashes, controlPlane });
    expect(join.argv.slice(0, 2)).toEqual(["kubeadm", "join"]);
    expect(join.argv.join(" ")).not.toMatch(/\\/);
  });

  it.each([
    {
      name: "no join line",
      text: "[init] Using Kubernetes version: v1.30.4\n",
      error: /no `kubeadm join` line/,
    },
    {
      name: "a malformed token",
      text: `kubeadm join 10.0.0.1:6443 --token nope --discovery-token-ca-cert-hash ${hash64("a")}`,
      error: /no bootstrap token/,
    },
    {
      name: "no CA hash",
      text: "kubeadm join 10.0.0.1:6443 --token abcdef.0123456789abcdef",
      error: /discovery-token-ca-cert-hash/,
    },
    {
      name: "no API server",
      text: `kubeadm join --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash ${hash64("a")}`,
      error: /API server/,
    },
  ])("refuses $name with a hint", ({ text, error }) => {
    let caught: unknown;
    try {
      parseKubeadmJoinCommand(text);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(HarnessError);
    expect((caught as HarnessError).message).toMatch(error);
    expect((caught as HarnessError).hint).toMatch(/kubeadm init/);
  });
});
