import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { packageStanzas, parseRelease, sourceStanzas } from "./apt-index.ts";

const recorded = (name: string) => readFileSync(new URL(`./recorded/${name}`, import.meta.url), "utf8");

describe("parseRelease", () => {
  it("reads suite, codename and the SHA256 list (recorded debian-bookworm-Release-excerpt-2026-11-23.txt)", () => {
    const release = parseRelease(recorded("debian-bookworm-Release-excerpt-2026-11-23.txt"));
    expect(release.suite).toBe("oldstable");
    expect(release.codename).toBe("bookworm");
    expect(release.sha256.get("main/binary-amd64/Packages.xz")).toEqual({
      sha256: "9e0b5aabb2465b3d2e7a7fe27f9913846277833f7a2826e7767acccff5b588c5",
      size: 8790396,
    });
    expect([...release.sha256.keys()]).toEqual([
      "main/binary-amd64/Packages",
      "main/binary-amd64/Packages.gz",
      "main/binary-amd64/Packages.xz",
    ]);
  });

  it("ignores sums listed under other sections (hand-written)", () => {
    const text = `Suite: x\nMD5Sum:\n ${"a".repeat(64)} 1 main/binary-amd64/Packages\nSHA256:\n ${"b".repeat(64)} 2 main/binary-amd64/Packages\n`;
    expect(parseRelease(text).sha256.get("main/binary-amd64/Packages")?.sha256).toBe("b".repeat(64));
  });
});

describe("packageStanzas", () => {
  const packages = recorded("debian-bookworm-Packages-excerpt-2026-11-23.txt");
  it.each([
    {
      name: "containerd",
      want: [
        {
          package: "containerd",
          version: "1.6.20~ds1-1+deb12u3",
          architecture: "amd64",
          filename: "pool/main/c/containerd/containerd_1.6.20~ds1-1+deb12u3_amd64.deb",
          sha256: "8669d264eeb0fcdb4a0b1ba436ab88ec5dafde4a66e1278ec279d830db4c2216",
          size: 25903404,
        },
      ],
    },
    { name: "runc", versions: ["1.1.5+ds1-1+deb12u1"] },
    { name: "golang-github-containerd-containerd-dev", versions: ["1.6.20~ds1-1+deb12u3"] },
    { name: "containerd-dev", versions: [] },
    { name: "docker.io", versions: [] },
  ])(
    "finds exactly the stanzas of $name (recorded bookworm Packages excerpt)",
    ({ name, want, versions }) => {
      const found = packageStanzas(packages, name);
      if (want) expect(found).toEqual(want);
      else expect(found.map((s) => s.version)).toEqual(versions);
    },
  );

  it("finds every version and a stanza at the very start (hand-written)", () => {
    const text = [1, 2, 3]
      .map(
        (n) =>
          `Package: runc\nVersion: 1.${n}\nArchitecture: amd64\nFilename: pool/runc_1.${n}.deb\nSize: 1\nSHA256: ${"c".repeat(64)}`,
      )
      .join("\n\n");
    expect(packageStanzas(text, "runc").map((s) => s.version)).toEqual(["1.1", "1.2", "1.3"]);
  });
});

describe("sourceStanzas", () => {
  it("reads version, pool directory and every file's sha256 (recorded debian-bookworm-Sources-kubernetes-2026-12-02.txt)", () => {
    const stanzas = sourceStanzas(
      recorded("debian-bookworm-Sources-kubernetes-2026-12-02.txt"),
      "kubernetes",
    );
    expect(stanzas).toEqual([
      {
        package: "kubernetes",
        version: "1.20.5+really1.20.2-1.1+deb12u1",
        directory: "pool/main/k/kubernetes",
        files: [
          {
            name: "kubernetes_1.20.5+really1.20.2-1.1+deb12u1.dsc",
            sha256: "19fa1da5aefcef673894ac9511986bd98a14410cf8eea0b626613c30df435257",
            size: 1973,
          },
          {
            name: "kubernetes_1.20.5+really1.20.2.orig.tar.gz",
            sha256: "b83c0780efb182d928dc63d46488a847f161f04e40a94b96bf5247dd671ecdfc",
            size: 34428927,
          },
          {
            name: "kubernetes_1.20.5+really1.20.2-1.1+deb12u1.debian.tar.xz",
            sha256: "9b6e5fd41769d2b5badf2e73b274e3bcd90f85e13d06a1a4a845ccce018127d8",
            size: 21300,
          },
        ],
      },
    ]);
  });

  it("does not take the MD5 `Files:` list or another package's stanza (hand-written)", () => {
    const text = `Package: kubernetes-split-yaml\nVersion: 1\nDirectory: pool/x\nChecksums-Sha256:\n ${"c".repeat(64)} 3 x.dsc\n\nPackage: kubernetes\nVersion: 2\nFiles:\n ${"a".repeat(32)} 1 k.dsc\nChecksums-Sha256:\n ${"b".repeat(64)} 2 k.dsc\nDirectory: pool/k\n`;
    expect(sourceStanzas(text, "kubernetes")).toEqual([
      {
        package: "kubernetes",
        version: "2",
        directory: "pool/k",
        files: [{ name: "k.dsc", sha256: "b".repeat(64), size: 2 }],
      },
    ]);
  });
});
