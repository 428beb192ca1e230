import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { environmentFingerprint } from "./fingerprint-reader.ts";

describe("environmentFingerprint", () => {
  it("flattens a fingerprint (recorded on this build host by fingerprint.sh)", () => {
    const text = readFileSync(
      path.join(import.meta.dirname, "../fingerprint/recorded/debian12-build-host-2026-11-23.txt"),
      "utf8",
    );
    const { facts, guestTimeMs } = environmentFingerprint.parse(text);
    expect(facts).toMatchObject({
      os: "Debian GNU/Linux 12 (bookworm)",
      kernel: "6.18.44-fc-v657",
      cgroup: "v1",
      docker: "28.2.2",
      "package.kubectl": "1:528.0.0-0",
      "fs.pipe-user-pages-soft": "16384",
      swap: "off",
    });
    expect(guestTimeMs).toBeCloseTo(1795459775538.128, 0);
  });

  it("throws on output that is not the script's", () => {
    expect(() => environmentFingerprint.parse("bash: line 1: syntax error")).toThrow(/does not start with/);
  });
});
