import { createHash } from "node:crypto";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ArtifactPlan } from "../plan/plan.ts";
import {
  emptyLock,
  isUnpinned,
  pinArtifacts,
  readLock,
  verifyLock,
  writeLock,
  type UnpinnedPlan,
} from "./artifact-lock.ts";
import { resolveArtifacts } from "./resolve-artifacts.ts";
import { startFileServer, type FileServer } from "./testing/file-server.ts";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

let root: string;
let server: FileServer;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "lock-server-"));
  await mkdir(path.join(root, "releases"), { recursive: true });
  await writeFile(path.join(root, "releases", "kube-flannel.yml"), "kind: DaemonSet\n");
  server = await startFileServer(root);
});
afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

function manifest(): UnpinnedPlan {
  const plan: ArtifactPlan = {
    kind: "url",
    key: "url:flannel",
    url: `${server.url}/releases/kube-flannel.yml`,
    checksum: { unpinned: "run harness artifacts pin", field: ["cni", "plugin"] },
  };
  if (!isUnpinned(plan)) throw new Error("not unpinned");
  return plan;
}

describe("artifact pins against a local HTTP server standing in for GitHub releases", () => {
  it("adds a pin, confirms it on a second pin, and says when the file at the URL changed", async () => {
    const cacheDir = await mkdtemp(path.join(tmpdir(), "lock-cache-"));
    const lock = emptyLock();
    expect(await pinArtifacts([manifest(), manifest()], lock, { cacheDir })).toEqual([
      { url: manifest().url, sha256: sha256("kind: DaemonSet\n"), change: "added" },
    ]);
    expect(lock.artifacts[manifest().url]).toMatchObject({ sha256: sha256("kind: DaemonSet\n"), size: 16 });
    expect((await pinArtifacts([manifest()], lock, { cacheDir }))[0]?.change).toBe("unchanged");
    server.override("/releases/kube-flannel.yml", "kind: DaemonSet # changed upstream\n");
    expect(await pinArtifacts([manifest()], lock, { cacheDir })).toEqual([
      {
        url: manifest().url,
        sha256: sha256("kind: DaemonSet # changed upstream\n"),
        change: "changed",
        previous: sha256("kind: DaemonSet\n"),
      },
    ]);
    server.override("/releases/kube-flannel.yml", "kind: DaemonSet\n");
    await rm(cacheDir, { recursive: true, force: true });
  });

  it("writes a lock the resolver then verifies the download against, and verify checks the cache", async () => {
    const cacheDir = await mkdtemp(path.join(tmpdir(), "lock-cache-"));
    const file = path.join(cacheDir, "artifacts.lock.json");
    const lock = emptyLock();
    await pinArtifacts([manifest()], lock, { cacheDir });
    await writeLock(file, lock);
    const read = await readLock(file);
    expect(read).toEqual(lock);
    const resolved = await resolveArtifacts([manifest()], { cacheDir, lock: read });
    expect(resolved["url:flannel"]?.sha256).toBe(sha256("kind: DaemonSet\n"));
    expect(await verifyLock(read, cacheDir)).toEqual([{ url: manifest().url, state: "ok" }]);
    await writeFile(resolved["url:flannel"]?.path ?? "", "tampered\n");
    expect(await verifyLock(read, cacheDir)).toEqual([
      { url: manifest().url, state: "mismatch", actual: sha256("tampered\n") },
    ]);
    const empty = await mkdtemp(path.join(tmpdir(), "lock-cache-"));
    expect(await verifyLock(read, empty)).toEqual([{ url: manifest().url, state: "not cached" }]);
    await rm(cacheDir, { recursive: true, force: true });
    await rm(empty, { recursive: true, force: true });
  });

  it("reads a missing lock as empty and refuses a malformed one with a way out", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "lock-file-"));
    expect(await readLock(path.join(dir, "none.json"))).toEqual(emptyLock());
    await writeFile(path.join(dir, "bad.json"), "{ not json");
    await expect(readLock(path.join(dir, "bad.json"))).rejects.toMatchObject({
      code: "ARTIFACT_LOCK_INVALID",
      hint: expect.stringContaining("git checkout -- artifacts.lock.json") as unknown,
    });
    await writeFile(
      path.join(dir, "wrong.json"),
      JSON.stringify({
        version: 1,
        artifacts: { "https://x.test/a": { sha256: "nope", size: 1, pinnedAt: "now" } },
      }),
    );
    await expect(readLock(path.join(dir, "wrong.json"))).rejects.toMatchObject({
      code: "ARTIFACT_LOCK_INVALID",
    });
    await rm(dir, { recursive: true, force: true });
  });
});
