import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { HarnessError } from "../errors.ts";
import { parseFingerprint } from "./parse-fingerprint.ts";

const recordedHost = readFileSync(
  new URL("./recorded/debian12-build-host-2026-11-23.txt", import.meta.url),
  "utf8",
);

describe("parseFingerprint", () => {
  it("reads the build host (recorded debian12-build-host-2026-11-23.txt)", () => {
    expect(parseFingerprint(recordedHost)).toEqual({
      os: {
        id: "debian",
        versionId: "12",
        codename: "bookworm",
        prettyName: "Debian GNU/Linux 12 (bookworm)",
      },
      kernel: { release: "6.18.44-fc-v657", arch: "x86_64" },
      cgroupVersion: 1,
      apparmor: {
        enabled: null,
        profilesLoaded: null,
        runcProfileLoaded: null,
        criContainerdProfileLoaded: null,
      },
      versions: {
        containerd: null,
        runc: null,
        docker: "28.2.2",
        criDockerd: null,
        kubelet: null,
        kubeadm: null,
      },
      versionLines: { docker: "Docker version 28.2.2, build e6534b4" },
      versionOutputs: { "docker --version": "Docker version 28.2.2, build e6534b4" },
      runc: { path: null, commit: null },
      packages: { kubectl: "1:528.0.0-0" },
      apiserverVersion: null,
      images: {},
      cgroupDriver: { containerd: null, kubelet: null },
      pipeUserPagesSoft: 16384,
      swap: { devices: 0, totalKiB: 0 },
      machineId: "3d1219c7c4c5404aaa1f6d2a48adfda4",
      guestClock: 1795459775.538128,
    });
  });

  it("reads a Kubernetes node with AppArmor 4 and a cgroupfs containerd (hand-written, not recorded)", () => {
    const text = [
      "harness-fingerprint 1",
      "os.PRETTY_NAME='Debian GNU/Linux 13 (trixie)'",
      "os.ID=debian",
      'os.VERSION_ID="13"',
      "cgroup.fs=cgroup2fs",
      "apparmor.enabled=Y",
      "apparmor.profiles=112",
      "apparmor.runc=loaded",
      "apparmor.cri-containerd=absent",
      "containerd.version=containerd github.com/containerd/containerd 1.6.20~ds1 1.6.20~ds1-1+deb12u1",
      "runc.version=runc version 1.0.0-rc93",
      "runc.path=/usr/local/sbin/runc",
      "runc.commit=12644e614e25b05da6fd08a38ffa0cfe1903fdec",
      "cri-dockerd.version=cri-dockerd 0.2.3 (a1b2c3d)",
      "kubelet.version=Kubernetes v1.30.4",
      "kubeadm.version=v1.30.4",
      "package.containerd=1.6.20~ds1-1+deb12u1",
      "package.kubelet=1.30.4-1.1",
      "containerd.systemdCgroup=false",
      "kubelet.cgroupDriver=systemd",
      "sysctl.fs.pipe-user-pages-soft=1",
      "swap.devices=1",
      "swap.totalKiB=1048572",
      "clock=1763900000.25",
      "",
    ].join("\r\n");
    const fp = parseFingerprint(text);
    expect(fp).toMatchObject({
      os: { id: "debian", versionId: "13", codename: null, prettyName: "Debian GNU/Linux 13 (trixie)" },
      cgroupVersion: 2,
      apparmor: {
        enabled: true,
        profilesLoaded: 112,
        runcProfileLoaded: true,
        criContainerdProfileLoaded: false,
      },
      versions: {
        containerd: "1.6.20~ds1",
        runc: "1.0.0-rc93",
        docker: null,
        criDockerd: "0.2.3",
        kubelet: "1.30.4",
        kubeadm: "1.30.4",
      },
      runc: { path: "/usr/local/sbin/runc", commit: "12644e614e25b05da6fd08a38ffa0cfe1903fdec" },
      packages: { containerd: "1.6.20~ds1-1+deb12u1", kubelet: "1.30.4-1.1" },
      cgroupDriver: { containerd: "cgroupfs", kubelet: "systemd" },
      pipeUserPagesSoft: 1,
      swap: { devices: 1, totalKiB: 1048572 },
      guestClock: 1763900000.25,
    });
  });

  it.each([
    {
      name: "AppArmor disabled",
      line: "apparmor.enabled=N",
      pick: (f: ReturnType<typeof parseFingerprint>) => f.apparmor.enabled,
      want: false,
    },
    {
      name: "an unknown cgroup fs",
      line: "cgroup.fs=sysfs",
      pick: (f: ReturnType<typeof parseFingerprint>) => f.cgroupVersion,
      want: null,
    },
    {
      name: "a version line without a version",
      line: "runc.version=runc: error while loading shared libraries",
      pick: (f: ReturnType<typeof parseFingerprint>) => f.versions.runc,
      want: null,
    },
    {
      name: "a non-numeric sysctl",
      line: "sysctl.fs.pipe-user-pages-soft=oops",
      pick: (f: ReturnType<typeof parseFingerprint>) => f.pipeUserPagesSoft,
      want: null,
    },
    {
      name: "a garbled clock",
      line: "clock=%s.%N",
      pick: (f: ReturnType<typeof parseFingerprint>) => f.guestClock,
      want: null,
    },
    {
      name: "swap devices without the total",
      line: "swap.devices=1",
      pick: (f: ReturnType<typeof parseFingerprint>) => f.swap,
      want: null,
    },
    {
      name: "SystemdCgroup of another value",
      line: "containerd.systemdCgroup=maybe",
      pick: (f: ReturnType<typeof parseFingerprint>) => f.cgroupDriver.containerd,
      want: null,
    },
  ])("gives null (or false) for $name", ({ line, pick, want }) => {
    expect(pick(parseFingerprint(`harness-fingerprint 1\n${line}\n`))).toBe(want);
  });

  it("refuses output that is not the script's", () => {
    expect(() => parseFingerprint("bash: line 1: syntax error\n")).toThrow(HarnessError);
    expect(() => parseFingerprint("")).toThrow(/does not start with "harness-fingerprint 1"/);
  });
});

describe("parseFingerprint: a control plane of the kubeadm tier (hand-written in fingerprint.sh's format)", () => {
  it("reads the API server's version, kubectl's and crictl's lines and the images' digests", () => {
    const fp = parseFingerprint(
      [
        "harness-fingerprint 1",
        "kubectl.version=Client Version: v1.20.2",
        "crictl.version=crictl version v1.20.0-harness",
        "apiserver.version=v1.20.2",
        `image.k8s.gcr.io/pause:3.2=sha256:${"a".repeat(64)}`,
        `image.k8s.gcr.io/etcd:3.4.23-debian=sha256:${"b".repeat(64)}`,
      ].join("\n"),
    );
    expect(fp.apiserverVersion).toBe("v1.20.2");
    expect(fp.versionLines.kubectl).toBe("Client Version: v1.20.2");
    expect(fp.images).toEqual({
      "k8s.gcr.io/pause:3.2": `sha256:${"a".repeat(64)}`,
      "k8s.gcr.io/etcd:3.4.23-debian": `sha256:${"b".repeat(64)}`,
    });
  });
});
