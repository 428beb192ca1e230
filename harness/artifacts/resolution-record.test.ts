import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ArtifactPlan } from "../plan/plan.ts";
import { readRecord, recordPathOf, writeRecord } from "./resolution-record.ts";

const plan = (key: string, suite: string): ArtifactPlan => ({
  kind: "apt-package",
  key,
  repo: { url: "http://deb.debian.org/debian", suite, component: "main", key: "/k.gpg" },
  package: "containerd",
  version: "1.6.20~ds1-1+deb12u*",
  arch: "amd64",
});

describe("resolution records", () => {
  it.each([
    { a: plan("containerd", "bookworm"), b: plan("containerd-16", "bookworm"), same: true },
    { a: plan("containerd", "bookworm"), b: plan("containerd", "trixie"), same: false },
    {
      a: plan("x", "bookworm"),
      b: {
        ...plan("x", "bookworm"),
        repo: {
          key: "/k.gpg",
          arch: undefined,
          component: "main",
          suite: "bookworm",
          url: "http://deb.debian.org/debian",
        },
      },
      same: true,
    },
  ])("keys by content, not by key or field order (same: $same)", ({ a, b, same }) => {
    expect(recordPathOf("/c", a) === recordPathOf("/c", b)).toBe(same);
  });

  it("round-trips and treats a damaged record as absent", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "records-"));
    try {
      const file = recordPathOf(dir, plan("c", "bookworm"));
      expect(await readRecord(file)).toBeNull();
      const resolved = {
        path: "/x.deb",
        sha256: "a".repeat(64),
        resolvedVersion: "1.0",
        source: "http://h/x.deb",
      };
      await writeRecord(file, resolved);
      expect(await readRecord(file)).toEqual(resolved);
      await writeFile(file, "{not json");
      expect(await readRecord(file)).toBeNull();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
