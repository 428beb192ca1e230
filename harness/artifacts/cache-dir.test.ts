import { describe, expect, it } from "vitest";
import { defaultCacheDir, pathForUrl } from "./cache-dir.ts";

describe("cache directory", () => {
  it.each([
    { env: { HARNESS_CACHE_DIR: "/srv/cache", XDG_CACHE_HOME: "/x" }, want: "/srv/cache" },
    { env: { XDG_CACHE_HOME: "/x" }, want: "/x/k8s-node-harness" },
    { env: { XDG_CACHE_HOME: "" }, want: "/home/u/.cache/k8s-node-harness" },
    { env: {}, want: "/home/u/.cache/k8s-node-harness" },
  ])("$env gives $want", ({ env, want }) => {
    expect(defaultCacheDir(env, "/home/u")).toBe(want);
  });

  it.each([
    {
      url: "http://deb.debian.org/debian/pool/main/c/containerd/containerd_1.6.20~ds1-1+deb12u1_amd64.deb",
      want: "/c/deb.debian.org/debian/pool/main/c/containerd/containerd_1.6.20~ds1-1+deb12u1_amd64.deb",
    },
    { url: "http://127.0.0.1:8080/a/../../etc/passwd", want: "/c/127.0.0.1_8080/etc/passwd" },
    { url: "https://example.org/x%2F..%2Fy?z=1", want: "/c/example.org/x_.._y" },
  ])("mirrors $url", ({ url, want }) => {
    expect(pathForUrl("/c", url)).toBe(want);
  });
});
