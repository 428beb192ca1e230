import { homedir } from "node:os";
import { describe, expect, it } from "vitest";
import { cacheDir, imagesDir, runsStateDir } from "./cache-dir.ts";

describe("cache directory", () => {
  it.each([
    { env: { HARNESS_CACHE_DIR: "/c", XDG_CACHE_HOME: "/x", HOME: "/h" }, dir: "/c" },
    { env: { XDG_CACHE_HOME: "/x", HOME: "/h" }, dir: "/x/k8s-node-harness" },
    { env: {}, dir: `${homedir()}/.cache/k8s-node-harness` },
  ])("$env -> $dir", ({ env, dir }) => {
    expect(cacheDir(env)).toBe(dir);
    expect(imagesDir(env)).toBe(`${dir}/images`);
    expect(runsStateDir(env)).toBe(`${dir}/runs`);
  });

  it("HARNESS_STATE_DIR overrides the run state directory", () => {
    expect(runsStateDir({ HARNESS_STATE_DIR: "/s" })).toBe("/s");
  });
});
