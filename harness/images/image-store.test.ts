import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImageStore } from "./image-store.ts";

/** A stand-in for images/debian/build-image.sh (a real executable): writes the output files and counts builds. */
const stubBuild = `#!/usr/bin/env bash
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
echo "$SUITE $EXTRA_PACKAGES" >>"$here/builds"
sleep 0.3
mkdir -p "$1/host_keys"
echo "rootfs of $SUITE" >"$1/rootfs.qcow2"
echo kernel >"$1/vmlinuz"
echo initrd >"$1/initrd.img"
echo "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHOST root@harness-guest" >"$1/host_keys/ssh_host_ed25519_key.pub"
echo "[build-image] done"
`;

describe("ImageStore", () => {
  let dir = "";
  let scripts = "";
  let catalog = "";
  let server: Server;
  let base = "";
  const disk = Buffer.from("qcow2 disk bytes");
  const diskSha = createHash("sha256").update(disk).digest("hex");

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "image-store-"));
    scripts = join(dir, "scripts");
    catalog = join(dir, "catalog");
    await mkdir(scripts, { recursive: true });
    await mkdir(catalog, { recursive: true });
    await writeFile(join(scripts, "build-image.sh"), stubBuild);
    await chmod(join(scripts, "build-image.sh"), 0o755);
    await writeFile(join(scripts, "init.sh"), "#!/bin/sh\n");
    await writeFile(join(scripts, "make-seed.sh"), "#!/bin/sh\n");
    await writeFile(
      join(catalog, "debian-13.yaml"),
      "name: debian-13\nkind: debian-build\nsuite: trixie\nmirror: http://deb.debian.org/debian\npackages: [containerd]\n",
    );
    server = createServer((req, res) => {
      if (req.url === "/good/SHA256SUMS") res.end(`${diskSha} *disk.img\n`);
      else if (req.url === "/bad/SHA256SUMS") res.end(`${"0".repeat(64)} *disk.img\n`);
      else if (req.url === "/none/SHA256SUMS") res.end(`${diskSha} *other.img\n`);
      else res.end(disk);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  const store = (imagesDir: string) =>
    new ImageStore({ imagesDir, catalogDir: catalog, debianScriptsDir: scripts, lockWaitMs: 30_000 });
  const builds = async () =>
    (await readFile(join(scripts, "builds"), "utf8").catch(() => "")).split("\n").filter(Boolean);

  it("builds a Debian image once, by recipe hash, and reuses it", async () => {
    const images = join(dir, "images-a");
    const s = store(images);
    expect((await s.status("debian-13")).state).toBe("missing");
    const image = await s.ensure("debian-13");
    expect(image).toMatchObject({
      kind: "kernel",
      name: "debian-13",
      makeSeed: join(scripts, "make-seed.sh"),
    });
    expect(image.kind === "kernel" && image.hostKey).toBe(
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHOST root@harness-guest",
    );
    await s.ensure("debian-13");
    expect(await builds()).toEqual(["trixie containerd"]);
    expect((await s.status("debian-13")).state).toBe("ready");
  });

  it("a scenario's extra packages change the recipe hash and build a separate entry", async () => {
    const s = store(join(dir, "images-a"));
    expect(await s.entryDir("debian-13", ["runc"])).not.toBe(await s.entryDir("debian-13"));
    await s.ensure("debian-13", ["runc"]);
    expect((await builds()).at(-1)).toBe("trixie containerd runc");
  });

  it("detects a corrupted entry and rebuilds it", async () => {
    const s = store(join(dir, "images-a"));
    const image = await s.ensure("debian-13");
    if (image.kind !== "kernel") throw new Error("expected a kernel image");
    await writeFile(image.rootfs, "bit rot");
    const status = await s.status("debian-13");
    expect(status.state).toBe("corrupt");
    expect(status.detail).toMatch(/^rootfs.qcow2: sha256/);
    const before = (await builds()).length;
    await s.ensure("debian-13");
    expect((await builds()).length).toBe(before + 1);
    expect(await readFile(image.rootfs, "utf8")).toBe("rootfs of trixie\n");
  });

  it("concurrent builds of the same image build once and both get it", async () => {
    const images = join(dir, "images-b");
    const before = (await builds()).length;
    const [a, b] = await Promise.all([store(images).ensure("debian-13"), store(images).ensure("debian-13")]);
    expect(a).toEqual(b);
    expect((await builds()).length).toBe(before + 1);
  });

  it.each([
    { name: "matching checksum", sums: "good", error: null },
    {
      name: "mismatching checksum is refused",
      sums: "bad",
      error: /checksum mismatch for .*expected sha256/,
    },
    { name: "image missing from SHA256SUMS", sums: "none", error: /lists no checksum for disk.img/ },
  ])("fetches a cloud image: $name", async ({ sums, error }) => {
    const cat = join(dir, `cloud-${sums}`);
    await mkdir(cat, { recursive: true });
    await writeFile(
      join(cat, "ubuntu-24.04.yaml"),
      `name: ubuntu-24.04\nkind: cloud-download\nurl: ${base}/${sums}/disk.img\nchecksums: ${base}/${sums}/SHA256SUMS\n`,
    );
    const s = new ImageStore({ imagesDir: join(dir, `images-${sums}`), catalogDir: cat });
    if (error) {
      await expect(s.ensure("ubuntu-24.04")).rejects.toThrow(error);
      expect((await s.status("ubuntu-24.04")).state).toBe("missing");
      return;
    }
    const image = await s.ensure("ubuntu-24.04");
    expect(image.kind).toBe("cloud");
    if (image.kind === "cloud") expect((await readFile(image.disk)).equals(disk)).toBe(true);
    expect((await s.status("ubuntu-24.04")).state).toBe("ready");
  });
});
