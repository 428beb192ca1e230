import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCliInProcess } from "../testing/run-cli-in-process.ts";

let cache: string;
let saved: string | undefined;
beforeEach(async () => {
  cache = await mkdtemp(path.join(tmpdir(), "builds-cli-"));
  saved = process.env.HARNESS_CACHE_DIR;
  process.env.HARNESS_CACHE_DIR = cache;
});
afterEach(async () => {
  if (saved === undefined) delete process.env.HARNESS_CACHE_DIR;
  else process.env.HARNESS_CACHE_DIR = saved;
  await rm(cache, { recursive: true, force: true });
});

describe("harness builds (an empty cache; building itself is the kubeadm tier's job in .ci/run)", () => {
  it("lists the Kubernetes build and its images as missing, under the cache, without building anything", async () => {
    const { code, stdout } = await runCliInProcess(["builds", "list"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^kubernetes v1\.20\.2 +missing +not built yet\n +\S+\/builds\/kubernetes-v1\.20\.2\/[0-9a-f]{16}\n/,
    );
    expect(stdout).toContain(path.join(cache, "builds"));
    expect(stdout).toMatch(/images v1\.20\.2 +missing +needs the kubernetes build/);
  });

  it("verifies an empty cache without calling it corrupt", async () => {
    const { code } = await runCliInProcess(["builds", "verify"]);
    expect(code).toBe(0);
  });

  it("refuses an unknown build with the ones it knows", async () => {
    const { code, stderr } = await runCliInProcess(["builds", "build", "coredns"]);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown build "coredns"');
    expect(stderr).toContain("kubernetes, images, payload");
  });
});
