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
  it("without a published sha256, is pinned by the lock: it says how, and which field brought it in", () => {
    const a = manifestArtifact(manifest, "ubuntu24-containerd").artifact;
    expect(a.kind === "url" && a.checksum).toEqual({
      unpinned:
        "flannel publishes no checksum for its v0.25.6 manifest: run `harness artifacts pin ubuntu24-containerd` where the internet is; it records the sha256 in artifacts.lock.json (commit it)",
      field: ["cni", "plugin"],
    });
  });

  it("carries the pinned sha256 once there is one", () => {
    const sha256 = "0".repeat(64);
    const a = manifestArtifact({ ...manifest, sha256 }, "x").artifact;
    expect(a.kind === "url" && a.checksum).toEqual({ sha256 });
  });
});
