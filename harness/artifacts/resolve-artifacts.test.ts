import { createHash } from "node:crypto";
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { HarnessError } from "../errors.ts";
import type { ArtifactPlan } from "../plan/plan.ts";
import type { ArtifactEvent } from "./artifact-events.ts";
import { pathForUrl } from "./cache-dir.ts";
import { resolveArtifacts, type ResolveOptions } from "./resolve-artifacts.ts";
import { startFileServer, type FileServer } from "./testing/file-server.ts";
import { buildSignedAptRepo, type SignedAptRepo } from "./testing/signed-apt-repo.ts";

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const debContent = (v: string) => `not really a deb: containerd ${v}\n`.repeat(2000);
const versions = [
  "1.6.20~ds1-1",
  "1.6.20~ds1-1+deb12u1",
  "1.6.20~ds1-1+deb12u2",
  "1.6.20~ds1-1+deb12u10",
  "1.7.24~ds1-6",
];

const origContent = "upstream source tarball\n".repeat(500);

let repo: SignedAptRepo;
let server: FileServer;
let cacheDir: string;
let events: ArtifactEvent[];

beforeAll(async () => {
  repo = await buildSignedAptRepo(
    [
      ...versions.map((v) => ({ name: "containerd", version: v, content: debContent(v) })),
      { name: "runc", version: "1.1.5+ds1-1+deb12u1", content: "runc bytes" },
    ],
    {
      sources: [
        {
          name: "kubernetes",
          version: "1.20.5+really1.20.2-1.1+deb12u1",
          files: {
            "kubernetes_1.20.5+really1.20.2-1.1+deb12u1.dsc": "dsc text",
            "kubernetes_1.20.5+really1.20.2.orig.tar.gz": origContent,
            "kubernetes_1.20.5+really1.20.2-1.1+deb12u1.debian.tar.xz": "debian dir",
          },
        },
      ],
    },
  );
  server = await startFileServer(repo.root);
});
afterAll(async () => {
  await server.close();
  await repo.cleanup();
});
beforeEach(async () => {
  cacheDir = await mkdtemp(path.join(tmpdir(), "artifact-cache-"));
  events = [];
  server.requests.length = 0;
});
afterEach(() => rm(cacheDir, { recursive: true, force: true }));

const options = (): ResolveOptions => ({
  cacheDir,
  onEvent: (e) => events.push(e),
  retries: 2,
  minDelayMs: 10,
});
const apt = (
  version: string,
  overrides: Partial<Extract<ArtifactPlan, { kind: "apt-package" }>> = {},
): ArtifactPlan => ({
  kind: "apt-package",
  key: "containerd",
  repo: { url: `${server.url}/`, suite: repo.suite, component: "main", key: repo.keyring },
  package: "containerd",
  version,
  arch: "amd64",
  ...overrides,
});
/** Resolves once `file` holds at least `bytes` bytes. */
async function sizeReaches(file: string, bytes: number): Promise<void> {
  for (;;) {
    const size = await stat(file).then(
      (s) => s.size,
      () => 0,
    );
    if (size >= bytes) return;
    await new Promise((r) => setTimeout(r, 5));
  }
}
async function failure(promise: Promise<unknown>): Promise<HarnessError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof HarnessError) return e;
    throw e;
  }
  throw new Error("expected a HarnessError");
}

describe("resolveArtifacts: apt packages from a signed repository (local test repo, real gpg)", () => {
  it.each([
    { pattern: "1.6.20~ds1-1+deb12u*", want: "1.6.20~ds1-1+deb12u10" },
    { pattern: "1.6.20~ds1-1+deb12u2", want: "1.6.20~ds1-1+deb12u2" },
    { pattern: "1.7*", want: "1.7.24~ds1-6" },
  ])("resolves $pattern to $want, verified", async ({ pattern, want }) => {
    const out = await resolveArtifacts([apt(pattern)], options());
    const got = out.containerd!;
    expect(got.resolvedVersion).toBe(want);
    expect(got.source).toBe(`${server.url}${repo.poolPath("containerd", want)}`);
    expect(got.sha256).toBe(sha256(debContent(want)));
    expect(await readFile(got.path, "utf8")).toBe(debContent(want));
    expect(got.path.startsWith(path.join(cacheDir, "artifacts", "files"))).toBe(true);
    expect(events.map((e) => e.kind)).toContain("index-verified");
  });

  it("downloads nothing when called again: zero requests", async () => {
    const first = await resolveArtifacts([apt("1.6.20~ds1-1+deb12u*")], options());
    const requestsBefore = server.requests.length;
    expect(requestsBefore).toBeGreaterThan(0);
    events = [];
    const again = await resolveArtifacts([apt("1.6.20~ds1-1+deb12u*")], options());
    expect(server.requests.length).toBe(requestsBefore);
    expect(again).toEqual(first);
    expect(events.map((e) => e.kind)).toEqual(["cache-hit", "resolved"]);
  });

  it("reads the signed index once for several packages of one repository", async () => {
    await resolveArtifacts(
      [apt("1.7*"), apt("1.1.5+ds1-1+deb12u1", { key: "runc", package: "runc" })],
      options(),
    );
    const paths = server.requests.map((r) => r.path);
    expect(paths.filter((p) => p.endsWith("/InRelease"))).toHaveLength(1);
    expect(paths.filter((p) => p.includes("/Packages"))).toHaveLength(1);
    expect(paths.filter((p) => p.startsWith("/pool/"))).toHaveLength(2);
  });

  it("fetches the key from a URL and dearmors it", async () => {
    const out = await resolveArtifacts(
      [
        apt("1.7*", {
          repo: { url: server.url, suite: repo.suite, component: "main", key: `${server.url}/key.asc` },
        }),
      ],
      options(),
    );
    expect(out.containerd?.resolvedVersion).toBe("1.7.24~ds1-6");
    expect(server.requests.some((r) => r.path === "/key.asc")).toBe(true);
  });

  it("refuses an InRelease whose signed text was altered", async () => {
    const inRelease = `/dists/${repo.suite}/InRelease`;
    const real = await readFile(path.join(repo.root, inRelease), "utf8");
    server.override(inRelease, real.replace("Origin: Harness Test", "Origin: Evil Mirror"));
    try {
      const e = await failure(resolveArtifacts([apt("1.7*")], options()));
      expect(e.code).toBe("APT_SIGNATURE_INVALID");
      expect(e.message).toMatch(/BAD signature/);
    } finally {
      server.override(inRelease, real);
    }
    expect(server.requests.some((r) => r.path.startsWith("/pool/"))).toBe(false);
  });

  it("refuses an InRelease signed by another key", async () => {
    const inRelease = `/dists/${repo.suite}/InRelease`;
    const real = await readFile(path.join(repo.root, inRelease), "utf8");
    const release = await readFile(path.join(repo.root, "dists", repo.suite, "Release"), "utf8");
    server.override(inRelease, await repo.signWithOtherKey(release));
    try {
      const e = await failure(resolveArtifacts([apt("1.7*")], options()));
      expect(e.code).toBe("APT_SIGNATURE_INVALID");
      expect(e.hint).toMatch(/never skip this check/);
    } finally {
      server.override(inRelease, real);
    }
  });

  it("refuses a package whose bytes differ from the signed index, and keeps nothing", async () => {
    const pool = repo.poolPath("containerd", "1.7.24~ds1-6");
    server.override(pool, "tampered bytes");
    try {
      const e = await failure(resolveArtifacts([apt("1.7*")], options()));
      expect(e.code).toBe("ARTIFACT_CHECKSUM_MISMATCH");
      expect(e.message).toBe(
        `checksum mismatch for ${server.url}${pool}: expected sha256 ${sha256(debContent("1.7.24~ds1-6"))}, got ${sha256("tampered bytes")}`,
      );
    } finally {
      server.override(pool, debContent("1.7.24~ds1-6"));
    }
    const dir = path.join(
      cacheDir,
      "artifacts",
      "files",
      new URL(server.url).host.replace(":", "_"),
      "pool",
      "main",
      "c",
      "containerd",
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it("resumes a cut download with a Range request", async () => {
    const pool = repo.poolPath("containerd", "1.6.20~ds1-1");
    const part = `${pathForUrl(path.join(cacheDir, "artifacts", "files"), `${server.url}${pool}`)}.part`;
    server.cutOnce(pool, 10_000, () => sizeReaches(part, 10_000));
    const out = await resolveArtifacts([apt("1.6.20~ds1-1")], options());
    expect(out.containerd?.sha256).toBe(sha256(debContent("1.6.20~ds1-1")));
    const debRequests = server.requests.filter((r) => r.path === pool);
    expect(debRequests.map((r) => [r.status, r.range])).toEqual([
      [200, null],
      [206, "bytes=10000-"],
    ]);
    expect(events.some((e) => e.kind === "download-attempt-failed")).toBe(true);
  });

  it("detects a corrupted cache entry and fetches it again", async () => {
    const first = await resolveArtifacts([apt("1.6.20~ds1-1+deb12u1")], options());
    await writeFile(first.containerd!.path, "bit rot");
    server.requests.length = 0;
    events = [];
    const again = await resolveArtifacts([apt("1.6.20~ds1-1+deb12u1")], options());
    expect(again).toEqual(first);
    expect(await readFile(again.containerd!.path, "utf8")).toBe(debContent("1.6.20~ds1-1+deb12u1"));
    expect(server.requests.map((r) => r.path)).toEqual([repo.poolPath("containerd", "1.6.20~ds1-1+deb12u1")]);
    expect(events[0]).toMatchObject({ kind: "cache-corrupt", actual: sha256("bit rot") });
  });

  it.each([
    {
      name: "a version the index does not have",
      plan: () => apt("1.6.99*"),
      code: "APT_VERSION_NOT_FOUND",
      message:
        /containerd 1\.6\.99\* is not in .*; it has 1\.6\.20~ds1-1, 1\.6\.20~ds1-1\+deb12u1, 1\.6\.20~ds1-1\+deb12u2, 1\.6\.20~ds1-1\+deb12u10, 1\.7\.24~ds1-6$/,
    },
    {
      name: "a package the index does not have",
      plan: () => apt("1*", { package: "docker.io" }),
      code: "APT_VERSION_NOT_FOUND",
      message: /the package is not there at all/,
    },
    {
      name: "a suite the repository does not have",
      plan: () =>
        apt("1*", { repo: { url: server.url, suite: "nope", component: "main", key: repo.keyring } }),
      code: "ARTIFACT_DOWNLOAD_FAILED",
      message: /dists\/nope\/InRelease failed: HTTP 404/,
    },
    {
      name: "an architecture the repository does not have",
      plan: () => apt("1*", { arch: "arm64" }),
      code: "APT_INDEX_MISSING",
      message: /lists no main\/binary-arm64\/Packages/,
    },
    {
      name: "a keyring missing on the host",
      plan: () =>
        apt("1*", {
          repo: { url: server.url, suite: repo.suite, component: "main", key: "/nonexistent/keyring.gpg" },
        }),
      code: "APT_KEYRING_MISSING",
      message: /does not exist on this host/,
    },
  ])("fails clearly for $name", async ({ plan, code, message }) => {
    const e = await failure(resolveArtifacts([plan()], options()));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
    expect(e.hint).toBeTruthy();
  });
});

describe("resolveArtifacts: a source package file through the signed Sources index (local test repo, real gpg)", () => {
  const source = (overrides: Partial<Extract<ArtifactPlan, { kind: "apt-source" }>> = {}): ArtifactPlan => ({
    kind: "apt-source",
    key: "kubernetes-source",
    repo: { url: `${server.url}/`, suite: repo.suite, component: "main", key: repo.keyring },
    package: "kubernetes",
    version: "1.20.5+really1.20.2-*",
    fileSuffix: ".orig.tar.gz",
    ...overrides,
  });

  it("fetches the orig tarball, verified against the sha256 the Sources stanza lists", async () => {
    const out = await resolveArtifacts([source()], options());
    const got = out["kubernetes-source"]!;
    expect(got.resolvedVersion).toBe("1.20.5+really1.20.2-1.1+deb12u1");
    expect(got.sha256).toBe(sha256(origContent));
    expect(await readFile(got.path, "utf8")).toBe(origContent);
    expect(got.source).toBe(
      `${server.url}/pool/main/k/kubernetes/kubernetes_1.20.5+really1.20.2.orig.tar.gz`,
    );
    expect(server.requests.map((r) => r.path)).toContain(`/dists/${repo.suite}/main/source/Sources.gz`);
  });

  it("refuses a source file whose bytes differ from the signed sum", async () => {
    const pool = "/pool/main/k/kubernetes/kubernetes_1.20.5+really1.20.2.orig.tar.gz";
    server.override(pool, "tampered");
    try {
      const err = await failure(resolveArtifacts([source()], options()));
      expect(err.message).toMatch(/sha256/i);
    } finally {
      server.override(pool, origContent);
    }
  });

  it("names the versions it has when the pinned one is absent", async () => {
    const err = await failure(resolveArtifacts([source({ version: "1.21.0-1" })], options()));
    expect(err.code).toBe("APT_VERSION_NOT_FOUND");
    expect(err.message).toContain("it has 1.20.5+really1.20.2-1.1+deb12u1");
  });

  it("refuses a suffix that matches no file", async () => {
    const err = await failure(resolveArtifacts([source({ fileSuffix: ".tar.bz2" })], options()));
    expect(err.code).toBe("APT_SOURCE_FILE_AMBIGUOUS");
  });
});

describe("resolveArtifacts: URLs and local files (local server)", () => {
  const body = "a release tarball\n";
  beforeAll(() => {
    server.override("/releases/v1.0.0/tool-1.0.0-linux-amd64.tar.gz", body);
    server.override(
      "/releases/v1.0.0/tool-1.0.0-linux-amd64.tar.gz.sha256sum",
      `${sha256(body)}  tool-1.0.0-linux-amd64.tar.gz\n`,
    );
    server.override("/releases/v1.0.0/SHA256SUMS", `${sha256("x")}  other.tar.gz\n`);
  });
  const urlPlan = (checksum: Extract<ArtifactPlan, { kind: "url" }>["checksum"]): ArtifactPlan => ({
    kind: "url",
    key: "tool",
    url: `${server.url}/releases/v1.0.0/tool-1.0.0-linux-amd64.tar.gz`,
    checksum,
  });

  it.each([
    { name: "a literal sha256", checksum: () => ({ sha256: sha256(body).toUpperCase() }) },
    {
      name: "a checksum file",
      checksum: () => ({ url: `${server.url}/releases/v1.0.0/tool-1.0.0-linux-amd64.tar.gz.sha256sum` }),
    },
  ])("verifies against $name, then serves from the cache", async ({ checksum }) => {
    const out = await resolveArtifacts([urlPlan(checksum())], options());
    expect(out.tool).toMatchObject({
      sha256: sha256(body),
      resolvedVersion: null,
      source: `${server.url}/releases/v1.0.0/tool-1.0.0-linux-amd64.tar.gz`,
    });
    const count = server.requests.length;
    await resolveArtifacts([urlPlan(checksum())], options());
    expect(server.requests.length).toBe(count);
  });

  it.each([
    {
      name: "a wrong literal sum",
      checksum: () => ({ sha256: sha256("other") }),
      code: "ARTIFACT_CHECKSUM_MISMATCH",
    },
    {
      name: "a checksum file not listing it",
      checksum: () => ({ url: `${server.url}/releases/v1.0.0/SHA256SUMS` }),
      code: "ARTIFACT_CHECKSUM_UNLISTED",
    },
    {
      name: "no checksum at all and no pin in the lock",
      checksum: () => ({ unpinned: "pin it with `harness artifacts pin`", field: ["cni", "plugin"] }),
      code: "ARTIFACT_UNPINNED",
    },
  ])("refuses $name", async ({ checksum, code }) => {
    const e = await failure(resolveArtifacts([urlPlan(checksum())], options()));
    expect(e.code).toBe(code);
  });

  it("verifies an artifact without a published checksum against the lock's pin, and refuses one the pin does not match", async () => {
    const plan = urlPlan({ unpinned: "pin it", field: ["cni", "plugin"] });
    const url = `${server.url}/releases/v1.0.0/tool-1.0.0-linux-amd64.tar.gz`;
    const pin = (sum: string) => ({
      version: 1 as const,
      artifacts: { [url]: { sha256: sum, size: body.length, pinnedAt: "2026-12-04T05:00:00.000Z" } },
    });
    const out = await resolveArtifacts([plan], { ...options(), lock: pin(sha256(body)) });
    expect(out.tool?.sha256).toBe(sha256(body));
    const other = await mkdtemp(path.join(tmpdir(), "lock-"));
    const e = await failure(
      resolveArtifacts([plan], { ...options(), cacheDir: other, lock: pin("f".repeat(64)) }),
    );
    expect(e.code).toBe("ARTIFACT_CHECKSUM_MISMATCH");
    await rm(other, { recursive: true, force: true });
  });

  it("does not retry a 404", async () => {
    const plan: ArtifactPlan = {
      kind: "url",
      key: "gone",
      url: `${server.url}/missing.tgz`,
      checksum: { sha256: sha256("x") },
    };
    const e = await failure(resolveArtifacts([plan], options()));
    expect(e.message).toBe(`downloading ${server.url}/missing.tgz failed: HTTP 404 Not Found`);
    expect(server.requests.filter((r) => r.path === "/missing.tgz")).toHaveLength(1);
  });

  it("checks a local file against the sha256 the scenario pins, in place", async () => {
    const file = path.join(cacheDir, "runc.amd64");
    await writeFile(file, "local runc");
    const pinned = sha256("local runc");
    const out = await resolveArtifacts(
      [{ kind: "local-file", key: "runc", path: "runc.amd64", sha256: pinned }],
      {
        ...options(),
        baseDir: cacheDir,
      },
    );
    expect(out.runc).toEqual({
      path: file,
      sha256: sha256("local runc"),
      resolvedVersion: null,
      source: `file://${file}`,
    });
    const e = await failure(
      resolveArtifacts([{ kind: "local-file", key: "x", path: "nope", sha256: pinned }], {
        ...options(),
        baseDir: cacheDir,
      }),
    );
    expect(e.code).toBe("ARTIFACT_LOCAL_MISSING");
    await writeFile(file, "another runc");
    const changed = await failure(
      resolveArtifacts([{ kind: "local-file", key: "runc", path: "runc.amd64", sha256: pinned }], {
        ...options(),
        baseDir: cacheDir,
      }),
    );
    expect(changed.code).toBe("ARTIFACT_LOCAL_CHECKSUM");
    expect(changed.message).toContain(
      `has sha256 ${sha256("another runc")}, not the ${pinned} the scenario pins`,
    );
    expect(changed.hint).toContain("sha256sum");
  });
});
