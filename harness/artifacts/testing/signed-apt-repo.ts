// Builds a throwaway signed apt repository for tests: a GPG key, pool files, Packages(.xz/.gz), Release, InRelease.
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { execa } from "execa";

/** A package version the repository carries; `content` stands in for the .deb's bytes. */
export interface TestPackage {
  name: string;
  version: string;
  content: string;
}

/** A source package the repository carries: its files by name, listed in main/source/Sources. */
export interface TestSource {
  name: string;
  version: string;
  files: Record<string, string>;
}

/** A built repository. */
export interface SignedAptRepo {
  /** Directory to serve: holds dists/ and pool/. */
  root: string;
  suite: string;
  /** Binary keyring with the signing key (for `key` as a host path). */
  keyring: string;
  /** Armored public key, served at /key.asc. */
  armoredKeyPath: string;
  /** Re-signs `Release` text with a different key, giving an InRelease that must be refused. */
  signWithOtherKey(release: string): Promise<string>;
  /** Pool path (URL path) of a package version. */
  poolPath(name: string, version: string): string;
  cleanup(): Promise<void>;
}

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

async function newKey(home: string, uid: string): Promise<void> {
  await mkdir(home, { recursive: true, mode: 0o700 });
  await execa(
    "gpg",
    [
      "--batch",
      "--pinentry-mode",
      "loopback",
      "--passphrase",
      "",
      "--quick-generate-key",
      uid,
      "ed25519",
      "sign",
      "never",
    ],
    { env: { GNUPGHOME: home } },
  );
}

async function clearsign(home: string, text: string): Promise<string> {
  const { stdout } = await execa(
    "gpg",
    ["--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--clearsign"],
    {
      env: { GNUPGHOME: home },
      input: text,
      stripFinalNewline: false,
    },
  );
  return stdout;
}

/** Builds the repository `suite`/main for amd64 with `packages`; `compressions` picks the Packages files it lists. */
export async function buildSignedAptRepo(
  packages: TestPackage[],
  {
    suite = "testing",
    compressions = ["xz", "gz"],
    sources = [],
  }: { suite?: string; compressions?: ("xz" | "gz")[]; sources?: TestSource[] } = {},
): Promise<SignedAptRepo> {
  const work = await mkdtemp(path.join(tmpdir(), "apt-repo-"));
  const root = path.join(work, "www");
  const home = path.join(work, "gpg");
  const otherHome = path.join(work, "gpg-other");
  await newKey(home, "Harness Test Repository <repo@test.invalid>");
  await newKey(otherHome, "Someone Else <else@test.invalid>");
  const poolPath = (name: string, version: string) =>
    `/pool/main/${name[0]}/${name}/${name}_${version}_amd64.deb`;

  const stanzas: string[] = [];
  for (const p of packages) {
    const file = path.join(root, poolPath(p.name, p.version));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, p.content);
    stanzas.push(
      [
        `Package: ${p.name}`,
        `Version: ${p.version}`,
        "Architecture: amd64",
        "Maintainer: Test <test@test.invalid>",
        `Filename: ${poolPath(p.name, p.version).slice(1)}`,
        `Size: ${Buffer.byteLength(p.content)}`,
        `SHA256: ${sha256(p.content)}`,
        "Description: test package",
      ].join("\n"),
    );
  }
  const dist = path.join(root, "dists", suite);
  const binary = path.join(dist, "main", "binary-amd64");
  await mkdir(binary, { recursive: true });
  const packagesText = `${stanzas.join("\n\n")}\n`;
  const listed: [string, Buffer][] = [];
  if (compressions.includes("xz")) {
    const { stdout } = await execa("xz", ["-c"], { input: packagesText, encoding: "buffer" });
    listed.push(["main/binary-amd64/Packages.xz", Buffer.from(stdout)]);
  }
  if (compressions.includes("gz")) {
    listed.push(["main/binary-amd64/Packages.gz", gzipSync(packagesText)]);
  }
  if (sources.length > 0) {
    const sourceStanzas: string[] = [];
    for (const src of sources) {
      const dir = `pool/main/${src.name[0]}/${src.name}`;
      await mkdir(path.join(root, dir), { recursive: true });
      const sums: string[] = [];
      for (const [file, content] of Object.entries(src.files)) {
        await writeFile(path.join(root, dir, file), content);
        sums.push(` ${sha256(content)} ${Buffer.byteLength(content)} ${file}`);
      }
      sourceStanzas.push(
        [
          `Package: ${src.name}`,
          `Version: ${src.version}`,
          "Checksums-Sha256:",
          ...sums,
          `Directory: ${dir}`,
        ].join("\n"),
      );
    }
    await mkdir(path.join(dist, "main", "source"), { recursive: true });
    listed.push(["main/source/Sources.gz", gzipSync(`${sourceStanzas.join("\n\n")}\n`)]);
  }
  for (const [name, data] of listed) await writeFile(path.join(dist, name), data);
  const release = [
    "Origin: Harness Test",
    `Suite: ${suite}`,
    `Codename: ${suite}`,
    "Architectures: amd64",
    "Components: main",
    "Date: Mon, 23 Nov 2026 12:00:00 UTC",
    "SHA256:",
    ...listed.map(([name, data]) => ` ${sha256(data)} ${String(data.length).padStart(8)} ${name}`),
    "",
  ].join("\n");
  await writeFile(path.join(dist, "Release"), release);
  await writeFile(path.join(dist, "InRelease"), await clearsign(home, release));

  const keyring = path.join(work, "keyring.gpg");
  await execa("gpg", ["--batch", "--yes", "--output", keyring, "--export"], { env: { GNUPGHOME: home } });
  const armoredKeyPath = path.join(root, "key.asc");
  const { stdout: armored } = await execa("gpg", ["--batch", "--armor", "--export"], {
    env: { GNUPGHOME: home },
  });
  await writeFile(armoredKeyPath, `${armored}\n`);

  return {
    root,
    suite,
    keyring,
    armoredKeyPath,
    signWithOtherKey: (text) => clearsign(otherHome, text),
    poolPath,
    cleanup: async () => {
      for (const h of [home, otherHome])
        await execa("gpgconf", ["--kill", "gpg-agent"], { env: { GNUPGHOME: h }, reject: false });
      await rm(work, { recursive: true, force: true });
    },
  };
}
