import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveArtifacts } from "./resolve-artifacts.ts";
import { startFileServer, type FileServer } from "./testing/file-server.ts";
import { buildSignedAptRepo, type SignedAptRepo } from "./testing/signed-apt-repo.ts";

let repo: SignedAptRepo;
let server: FileServer;
let cacheDir: string;

beforeAll(async () => {
  repo = await buildSignedAptRepo([{ name: "runc", version: "1.1.15+ds1-2", content: "runc" }], {
    suite: "oldrepo",
    compressions: ["gz"],
  });
  server = await startFileServer(repo.root);
  cacheDir = await mkdtemp(path.join(tmpdir(), "artifact-cache-"));
});
afterAll(async () => {
  await server.close();
  await repo.cleanup();
  await rm(cacheDir, { recursive: true, force: true });
});

const plan = () =>
  ({
    kind: "apt-package",
    key: "runc",
    repo: { url: server.url, suite: "oldrepo", component: "main", key: repo.keyring },
    package: "runc",
    version: "1.1.15*",
    arch: "amd64",
  }) as const;

describe("resolveArtifacts on a repository without Packages.xz (local test repo, real gpg)", () => {
  it("reads Packages.gz", async () => {
    const out = await resolveArtifacts([plan()], { cacheDir, retries: 0 });
    expect(out.runc?.resolvedVersion).toBe("1.1.15+ds1-2");
    expect(server.requests.map((r) => r.path)).toContain("/dists/oldrepo/main/binary-amd64/Packages.gz");
  });

  it("stops before any request when the signal is already aborted", async () => {
    const before = server.requests.length;
    const controller = new AbortController();
    controller.abort(new Error("interrupted"));
    await expect(resolveArtifacts([plan()], { cacheDir, signal: controller.signal })).rejects.toThrow(
      "interrupted",
    );
    expect(server.requests.length).toBe(before);
  });
});
