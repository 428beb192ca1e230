import { mkdir, mkdtemp, readFile, rm, symlink, writeFile, chmod } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeOciArchive, type OciImageConfig } from "./oci-archive.ts";

let work: string;
beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), "oci-archive-"));
});
afterEach(() => rm(work, { recursive: true, force: true }));

async function rootfs(name: string, touch = false): Promise<string> {
  const root = path.join(work, name);
  await mkdir(path.join(root, "usr/local/bin"), { recursive: true });
  await writeFile(path.join(root, "usr/local/bin/tool"), "#!/bin/sh\necho tool\n");
  await chmod(path.join(root, "usr/local/bin/tool"), 0o755);
  await symlink("tool", path.join(root, "usr/local/bin/alias"));
  if (touch) await execa("touch", ["-d", "2001-01-01", path.join(root, "usr/local/bin/tool")]);
  return root;
}

const config: OciImageConfig = {
  refs: ["k8s.gcr.io/tool:v1", "harness.local/tool:v1"],
  entrypoint: ["/usr/local/bin/tool"],
  env: ["PATH=/usr/local/bin"],
  labels: { "org.opencontainers.image.description": "a test image" },
};

describe("writeOciArchive (real GNU tar)", () => {
  it("gives the same bytes and digests for the same files, whatever their timestamps", async () => {
    const a = await writeOciArchive(await rootfs("a"), config, path.join(work, "a.tar"));
    const b = await writeOciArchive(await rootfs("b", true), config, path.join(work, "b.tar"));
    expect(b.manifestDigest).toBe(a.manifestDigest);
    expect(b.layerDigest).toBe(a.layerDigest);
    expect(await readFile(b.file)).toEqual(await readFile(a.file));
  });

  it("changes the digest when a file's content changes", async () => {
    const a = await writeOciArchive(await rootfs("a"), config, path.join(work, "a.tar"));
    const rootB = await rootfs("b");
    await writeFile(path.join(rootB, "usr/local/bin/tool"), "#!/bin/sh\necho other\n");
    const b = await writeOciArchive(rootB, config, path.join(work, "b.tar"));
    expect(b.layerDigest).not.toBe(a.layerDigest);
  });

  it("writes an OCI layout naming every reference for containerd, and Docker's manifest.json", async () => {
    const a = await writeOciArchive(await rootfs("a"), config, path.join(work, "a.tar"));
    const out = path.join(work, "unpacked");
    await mkdir(out);
    await execa("tar", ["-xf", a.file, "-C", out]);
    const index = JSON.parse(await readFile(path.join(out, "index.json"), "utf8")) as {
      manifests: { digest: string; annotations: Record<string, string> }[];
    };
    expect(index.manifests.map((m) => m.annotations["io.containerd.image.name"])).toEqual(config.refs);
    expect(new Set(index.manifests.map((m) => m.digest))).toEqual(new Set([a.manifestDigest]));
    const docker = JSON.parse(await readFile(path.join(out, "manifest.json"), "utf8")) as {
      RepoTags: string[];
      Layers: string[];
    }[];
    expect(docker[0]?.RepoTags).toEqual(config.refs);
    const layer = path.join(out, docker[0]?.Layers[0] ?? "");
    const { stdout } = await execa("tar", ["-tvf", layer, "--full-time"]);
    expect(stdout).toContain("./usr/local/bin/alias -> tool");
    expect(stdout.split("\n").every((l) => l.includes("1970-01-01"))).toBe(true);
    const manifest = JSON.parse(
      await readFile(path.join(out, "blobs/sha256", a.manifestDigest.slice(7)), "utf8"),
    ) as {
      layers: { mediaType: string }[];
    };
    expect(manifest.layers[0]?.mediaType).toBe("application/vnd.oci.image.layer.v1.tar");
  });
});
