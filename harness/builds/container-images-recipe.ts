// The container images a Kubernetes build needs without a registry: what each holds, its references, how it runs.
import { aptRepositories } from "../artifacts/apt-repositories.ts";
import type { ArtifactPlan } from "../plan/plan.ts";
import type { KubernetesBinary } from "./kubernetes-recipe.ts";

/** One image: files from the build and from Debian packages, links, and a command that proves it runs. */
export interface ContainerImageRecipe {
  /** File name of the archive (`<name>.tar`) and short name in messages. */
  name: string;
  refs: string[];
  /** Binaries of the Kubernetes build, copied to the given absolute paths. */
  binaries: { from: KubernetesBinary; to: string }[];
  /** Debian packages extracted into the root (dpkg-deb -x). */
  debs: ArtifactPlan[];
  /** Symbolic links `[link, target]` (what a package's maintainer scripts or alternatives would create). */
  links: [string, string][];
  entrypoint?: string[];
  cmd?: string[];
  /** Run with `chroot <root>` at build time: the image's programs must start with only what the image holds. */
  checks: string[][];
  /** What is in it, for the plan and run.json (e.g. `Debian bookworm etcd-server 3.4.23-4+b4`). */
  contents: string;
}

/** A pinned .deb of a named Debian repository, as an artifact plan. */
export const deb = (repo: keyof typeof aptRepositories, name: string, version: string): ArtifactPlan => ({
  kind: "apt-package",
  key: `deb:${repo}:${name}=${version}`,
  repo: { ...aptRepositories[repo] },
  package: name,
  version,
  arch: "amd64",
});

const bullseyeLibc = [
  deb("debian-bullseye", "libc6", "2.31-13+deb11u11"),
  deb("debian-bullseye", "libgcc-s1", "10.2.1-6"),
  deb("debian-bullseye", "libcrypt1", "1:4.4.18-4"),
];

/** iptables userland for kube-proxy (Debian 11's 1.8.7), with what its binaries link. */
const iptablesDebs = [
  deb("debian-bullseye", "iptables", "1.8.7-1"),
  deb("debian-bullseye", "libip4tc2", "1.8.7-1"),
  deb("debian-bullseye", "libip6tc2", "1.8.7-1"),
  deb("debian-bullseye", "libxtables12", "1.8.7-1"),
  deb("debian-bullseye", "libnftnl11", "1.1.9-1"),
  deb("debian-bullseye", "libmnl0", "1.0.4-3"),
  deb("debian-bullseye", "libnetfilter-conntrack3", "1.0.8-3"),
  deb("debian-bullseye", "libnfnetlink0", "1.0.1-3+b1"),
  deb("debian-bullseye", "conntrack", "1:1.4.6-2"),
  deb("debian-bullseye", "libnetfilter-cttimeout1", "1.0.0-4"),
  deb("debian-bullseye", "libnetfilter-cthelper0", "1.0.0-3"),
  deb("debian-bullseye", "libnetfilter-queue1", "1.0.5-2"),
  deb("debian-bullseye", "ipset", "7.10-1"),
  deb("debian-bullseye", "libipset13", "7.10-1"),
  deb("debian-bullseye", "netbase", "6.3"),
];

/** iptables' alternatives as Debian 11 sets them by default: the nft backend, which the Debian 11 node also uses. */
const iptablesNftLinks: [string, string][] = [
  "iptables",
  "iptables-save",
  "iptables-restore",
  "ip6tables",
  "ip6tables-save",
  "ip6tables-restore",
].map((n) => [`/usr/sbin/${n}`, "xtables-nft-multi"]);

/** busybox applets the smoke workload uses. */
const busyboxApplets = ["sh", "httpd", "hostname", "wget", "cat", "echo", "mkdir", "sleep", "ls", "ps", "ip"];

/** busybox applets the CNI installer uses (it writes a file into the node's /etc/cni/net.d, then waits). */
const cniInstallerApplets = ["sh", "cat", "mv", "rm", "ls", "sleep", "echo"];

/** The image set of Kubernetes v1.20.2 (the references kubeadm 1.20 asks for, etcd tagged as what it really is). */
export function containerImages1202(): ContainerImageRecipe[] {
  const controlPlane = (name: KubernetesBinary): ContainerImageRecipe => ({
    name,
    refs: [`k8s.gcr.io/${name}:v1.20.2`],
    binaries: [{ from: name, to: `/usr/local/bin/${name}` }],
    debs: [],
    links: [],
    checks: [[`/usr/local/bin/${name}`, "--version"]],
    contents: `${name} v1.20.2 built from Debian's source (static)`,
  });
  return [
    controlPlane("kube-apiserver"),
    controlPlane("kube-controller-manager"),
    controlPlane("kube-scheduler"),
    {
      name: "kube-proxy",
      refs: ["k8s.gcr.io/kube-proxy:v1.20.2"],
      binaries: [{ from: "kube-proxy", to: "/usr/local/bin/kube-proxy" }],
      debs: [...bullseyeLibc, ...iptablesDebs],
      links: iptablesNftLinks,
      checks: [
        ["/usr/local/bin/kube-proxy", "--version"],
        ["/usr/sbin/iptables", "--version"],
        ["/usr/sbin/iptables-restore", "--version"],
        ["/usr/sbin/conntrack", "--version"],
        ["/usr/sbin/ipset", "--version"],
      ],
      contents:
        "kube-proxy v1.20.2 with Debian 11's iptables 1.8.7 (nft backend), conntrack 1.4.6, ipset 7.10",
    },
    {
      name: "etcd",
      refs: ["k8s.gcr.io/etcd:3.4.23-debian"],
      binaries: [],
      debs: [
        deb("debian-bookworm", "etcd-server", "3.4.23-4+b4"),
        deb("debian-bookworm", "libc6", "2.36-9+deb12u14"),
      ],
      links: [["/usr/local/bin/etcd", "/usr/bin/etcd"]],
      checks: [["/usr/bin/etcd", "--version"]],
      contents: "Debian 12's etcd-server 3.4.23-4+b4 (kubeadm 1.20 expects 3.4.13; the tag says which it is)",
    },
    {
      name: "pause",
      refs: ["k8s.gcr.io/pause:3.2"],
      binaries: [{ from: "pause", to: "/pause" }],
      debs: [],
      links: [],
      entrypoint: ["/pause"],
      checks: [["/pause", "-v"]],
      contents:
        "pause from v1.20.2's build/pause/linux/pause.c (gcc -static); named 3.2, the tag kubeadm 1.20 asks for",
    },
    {
      name: "smoke-httpd",
      refs: ["harness.local/smoke-httpd:1.30.1"],
      binaries: [],
      debs: [deb("debian-bullseye", "busybox-static", "1:1.30.1-6+b3")],
      links: busyboxApplets.map((a) => [`/bin/${a}`, "busybox"]),
      cmd: ["sh", "-c", "mkdir -p /www && hostname > /www/hostname && exec httpd -f -p 8080 -h /www"],
      checks: [["/bin/busybox", "true"]],
      contents: "Debian 11's busybox-static 1.30.1: httpd on :8080 serving /hostname (the pod's name)",
    },
    {
      name: "cni-installer",
      refs: ["harness.local/cni-installer:1.30.1"],
      binaries: [],
      debs: [deb("debian-bullseye", "busybox-static", "1:1.30.1-6+b3")],
      links: cniInstallerApplets.map((a) => [`/bin/${a}`, "busybox"]),
      cmd: ["sh"],
      checks: [["/bin/sh", "-c", "cat /etc/group && ls /bin && sleep 0"]],
      contents:
        "Debian 11's busybox-static 1.30.1: the DaemonSet of cni.plugin bridge-daemonset copies a node's CNI config with it",
    },
  ];
}
