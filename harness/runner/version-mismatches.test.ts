import { describe, expect, it } from "vitest";
import type { ArtifactPlan } from "../plan/plan.ts";
import { componentOfUrl, upstreamVersion, versionMismatches } from "./version-mismatches.ts";

const repo = { url: "http://deb.debian.org/debian", suite: "bookworm", component: "main", key: "k" };
const deb: ArtifactPlan = {
  kind: "apt-package",
  key: "deb:c",
  repo,
  package: "containerd",
  version: "1.6.20~ds1-1+deb12u*",
  arch: "amd64",
};
const tarball: ArtifactPlan = {
  kind: "url",
  key: "url:c",
  url: "https://github.com/containerd/containerd/releases/download/v1.7.24/containerd-1.7.24-linux-amd64.tar.gz",
  checksum: { sha256: "00" },
};

describe("versionMismatches", () => {
  it.each<{ name: string; facts: Record<string, string>; lines: number }>([
    {
      name: "the pinned deb is installed",
      facts: { "package.containerd": "1.6.20~ds1-1+deb12u1" },
      lines: 0,
    },
    { name: "another deb version is installed", facts: { "package.containerd": "1.7.24~ds1-6" }, lines: 1 },
    { name: "the node does not report the package", facts: {}, lines: 0 },
  ])("$name", ({ facts, lines }) => {
    const out = versionMismatches([deb], [{ key: "deb:c", resolvedVersion: "1.6.20~ds1-1+deb12u1" }], {
      node1: { facts },
    });
    expect(out).toHaveLength(lines);
    if (lines)
      expect(out[0]).toBe(
        "node1: package containerd is 1.7.24~ds1-6 but the scenario pinned 1.6.20~ds1-1+deb12u1",
      );
  });

  it.each([
    { reported: "1.7.24", lines: 0 },
    { reported: "1.6.20~ds1", lines: 1 },
  ])("compares a download's tool version with its URL's version ($reported)", ({ reported, lines }) => {
    const out = versionMismatches([tarball], [{ key: "url:c", resolvedVersion: "1.7.24" }], {
      n: { facts: { containerd: reported } },
    });
    expect(out).toHaveLength(lines);
  });
});

describe("helpers", () => {
  it.each([
    ["1.6.20~ds1-1+deb12u1", "1.6.20"],
    ["1:1.7.24~ds1-6", "1.7.24"],
    ["v1.1.12", "1.1.12"],
    ["1.0.0~rc93+ds1-5+deb11u5", "1.0.0~rc93"],
  ])("upstreamVersion(%s) = %s", (v, u) => expect(upstreamVersion(v)).toBe(u));

  it.each([
    ["https://x/containerd-1.7.24-linux-amd64.tar.gz", "containerd"],
    ["https://x/runc.amd64", "runc"],
    ["https://x/cri-dockerd-0.3.1.amd64.tgz", "cri-dockerd"],
  ])("componentOfUrl(%s) = %s", (url, c) => expect(componentOfUrl(url)).toBe(c));
});
