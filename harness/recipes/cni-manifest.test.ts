import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { kustomization, manifestArtifact, type CniManifest } from "./cni-manifest.ts";

const manifest: CniManifest = {
  plugin: "flannel",
  version: "v0.25.6",
  url: "https://github.com/flannel-io/flannel/releases/download/v0.25.6/kube-flannel.yml",
  sha256: null,
  fileName: "kube-flannel.yml",
  patches: [
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "kube-flannel-cfg" }, data: { a: "b" } },
  ],
  waitFor: [{ namespace: "kube-flannel", selector: "app=flannel" }],
};

describe("kustomization", () => {
  it("lists the manifest as its resource and each patch as a YAML document", () => {
    const k = parse(kustomization(manifest)) as { resources: string[]; patches: { patch: string }[] };
    expect(k.resources).toEqual(["kube-flannel.yml"]);
    expect(k.patches.map((p) => parse(p.patch) as unknown)).toEqual(manifest.patches);
  });
});

describe("manifestArtifact", () => {
  it("is unpinned, saying how to pin it, until the data file has a sha256", () => {
    const a = manifestArtifact(manifest).artifact;
    expect(a.kind === "url" && a.checksum).toEqual({
      unpinned:
        "no published checksum: pin flannel v0.25.6 in harness/recipes/data/flannel.ts with `harness artifacts pin`",
    });
  });

  it("carries the pinned sha256 once there is one", () => {
    const sha256 = "0".repeat(64);
    const a = manifestArtifact({ ...manifest, sha256 }).artifact;
    expect(a.kind === "url" && a.checksum).toEqual({ sha256 });
  });
});
