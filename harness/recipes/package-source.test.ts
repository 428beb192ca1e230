import { describe, expect, it } from "vitest";
import { debianPackageInstall, localFileArtifact } from "./package-source.ts";

describe("debianPackageInstall", () => {
  it.each([
    {
      name: "Debian 13 distro package: an apt-package artifact from trixie, newest unless pinned",
      image: "debian-13" as const,
      source: { from: "distro" as const },
      install: "apt_install /var/lib/harness/artifacts/containerd/containerd.deb",
      artifact: { suite: "trixie", version: "*" },
    },
    {
      name: "Debian 12 distro package, pinned: from bookworm at that version",
      image: "debian-12" as const,
      source: { from: "distro" as const, version: "1.6.20~ds1-1+deb12u3" },
      install: "apt_install /var/lib/harness/artifacts/containerd/containerd.deb",
      artifact: { suite: "bookworm", version: "1.6.20~ds1-1+deb12u3" },
    },
    {
      name: "Ubuntu distro package: apt-get in the guest, pinned with =",
      image: "ubuntu-24.04" as const,
      source: { from: "distro" as const, version: "1.7.12-0ubuntu4" },
      install: "apt_install containerd=1.7.12-0ubuntu4",
      artifact: null,
    },
    {
      name: "named apt repository: an artifact whatever the image",
      image: "ubuntu-24.04" as const,
      source: { from: "apt" as const, repo: "ubuntu-noble" as const, version: "1.7.12-0ubuntu4" },
      install: "apt_install /var/lib/harness/artifacts/containerd/containerd.deb",
      artifact: { suite: "noble", version: "1.7.12-0ubuntu4" },
    },
  ])("$name", ({ image, source, install, artifact }) => {
    const p = debianPackageInstall({ image, source, defaultPackage: "containerd", purpose: "containerd" });
    expect(p.install).toBe(install);
    if (artifact === null) {
      expect(p.artifacts).toEqual([]);
      expect(p.uploads).toEqual([]);
      return;
    }
    const a = p.artifacts[0];
    expect(a?.kind).toBe("apt-package");
    if (a?.kind !== "apt-package") return;
    expect({ suite: a.repo.suite, version: a.version }).toEqual(artifact);
    expect(p.uploads).toEqual([
      { artifact: a.key, to: "/var/lib/harness/artifacts/containerd/containerd.deb" },
    ]);
  });
});

describe("localFileArtifact", () => {
  const sha256 = "a".repeat(64);

  it("resolves a relative path against the scenario file's directory, and keeps the pinned sha256", () => {
    const a = localFileArtifact("scenarios/sub/x.yaml", { path: "bin/runc", sha256 }, "runc", "runc");
    expect(a.artifact).toEqual({
      kind: "local-file",
      key: "file:scenarios/sub/bin/runc",
      path: "scenarios/sub/bin/runc",
      sha256,
    });
    expect(a.upload).toEqual({
      artifact: "file:scenarios/sub/bin/runc",
      to: "/var/lib/harness/artifacts/runc/runc",
    });
  });

  it("keeps an absolute path as written (it planned as /tmp/x/tmp/x/runc once)", () => {
    const a = localFileArtifact("/tmp/x/scenario.yaml", { path: "/tmp/x/runc", sha256 }, "runc", "runc");
    expect(a.artifact).toMatchObject({ key: "file:/tmp/x/runc", path: "/tmp/x/runc" });
  });
});
