import { describe, expect, it } from "vitest";
import { installedVersions } from "./installed-versions.ts";

describe("installedVersions", () => {
  it("lists the facts every node agrees on once, in report order", () => {
    const facts = { runc: "1.0.0~rc93", containerd: "1.4.13", kernel: "5.10.0-35-amd64", cgroup: "v1" };
    expect(
      installedVersions({ nodes: { cp1: { clockOffsetMs: 0, facts }, w1: { clockOffsetMs: 0, facts } } }),
    ).toEqual(["kernel 5.10.0-35-amd64", "cgroup v1", "containerd 1.4.13", "runc 1.0.0~rc93"]);
  });

  it("names each node's value where nodes differ or one did not report it", () => {
    const parts = installedVersions({
      nodes: {
        cp1: { clockOffsetMs: 0, facts: { containerd: "1.4.13", "cgroup-driver.containerd": "cgroupfs" } },
        w1: { clockOffsetMs: 0, facts: { containerd: "1.6.20" } },
      },
    });
    expect(parts).toEqual(["containerd cp1=1.4.13, w1=1.6.20", "runc cgroup driver cp1=cgroupfs, w1=?"]);
  });

  it("shows runc's commit, the only fact that tells two builds of one runc version apart", () => {
    const node = (commit: string) => ({
      nodes: { cp1: { clockOffsetMs: 0, facts: { runc: "1.0.0-rc93", "runc.commit": commit } } },
    });
    expect(installedVersions(node("debian-1.0.0~rc93+ds1-5+deb11u5-without-0010"))).toEqual([
      "runc 1.0.0-rc93",
      "runc commit debian-1.0.0~rc93+ds1-5+deb11u5-without-0010",
    ]);
    expect(installedVersions(node("debian-1.0.0~rc93+ds1-5+deb11u5"))).toContain(
      "runc commit debian-1.0.0~rc93+ds1-5+deb11u5",
    );
  });

  it("is empty when no node was fingerprinted", () => {
    expect(installedVersions({ nodes: {} })).toEqual([]);
  });
});
