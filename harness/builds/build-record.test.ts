import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildStatus, hashFiles, writeBuildRecord } from "./build-record.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "build-record-"));
  await mkdir(path.join(dir, "bin"));
  await writeFile(path.join(dir, "bin/kubeadm"), "kubeadm bytes");
  await writeFile(path.join(dir, "bin/kubelet"), "kubelet bytes");
  await writeBuildRecord(dir, {
    what: "kubernetes v1.20.2",
    key: "k",
    inputs: {},
    files: await hashFiles(dir, ["bin/kubeadm", "bin/kubelet"]),
    seconds: { total: 1 },
    createdAt: "2026-12-02T00:00:00Z",
  });
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("buildStatus", () => {
  it("is ready when every recorded file hashes to its sum", async () => {
    expect((await buildStatus(dir, false)).state).toBe("ready");
  });

  it("is corrupt when a file's bytes changed, and says which (so the entry is rebuilt, never used)", async () => {
    await writeFile(path.join(dir, "bin/kubelet"), "truncat");
    const status = await buildStatus(dir, false);
    expect(status.state).toBe("corrupt");
    expect(status.detail).toMatch(/^bin\/kubelet: sha256 /);
  });

  it("sees a missing file even in the quick (unhashed) check", async () => {
    await rm(path.join(dir, "bin/kubeadm"));
    expect(await buildStatus(dir, true)).toMatchObject({
      state: "corrupt",
      detail: "bin/kubeadm is missing",
    });
  });

  it("is missing when there is no record (an interrupted build leaves none)", async () => {
    expect((await buildStatus(path.join(dir, "nothing"), false)).state).toBe("missing");
  });
});
