import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  claimScript,
  parseClaimOutput,
  parseLeaseOutput,
  readLeaseScript,
  releaseScript,
} from "./remote-scripts.ts";

/** Runs a script with POSIX sh (dash here) in a throwaway HOME; returns stdout and exit code. */
function sh(script: string, home: string): { stdout: string; code: number } {
  try {
    return {
      stdout: execFileSync("sh", ["-c", script], {
        env: { PATH: process.env.PATH, HOME: home },
        encoding: "utf8",
      }),
      code: 0,
    };
  } catch (error) {
    const e = error as { stdout: string; status: number };
    return { stdout: e.stdout, code: e.status };
  }
}

describe("remote scripts (run with the local sh)", () => {
  let home = "";
  const lease = (): string => join(home, ".local", "state", "k8s-node-harness", "run-id");
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), "remote-scripts-"));
  });
  afterEach(() => {
    rmSync(home, { recursive: true, force: true });
  });

  it("claims a host, reports the previous lease and the host's addresses", () => {
    const first = parseClaimOutput(sh(claimScript("20261123-184212-3f9a1c"), home).stdout);
    expect(first.previousRun).toBe("");
    expect(first.addresses === null || first.addresses.includes("127.0.0.1")).toBe(true);
    expect(readFileSync(lease(), "utf8")).toBe("20261123-184212-3f9a1c\n");
    const second = parseClaimOutput(sh(claimScript("20261124-000000-bbbbbb"), home).stdout);
    expect(second.previousRun).toBe("20261123-184212-3f9a1c");
  });

  it("reads the lease, empty when none", () => {
    expect(parseLeaseOutput(sh(readLeaseScript(), home).stdout)).toBe("");
    sh(claimScript("20261123-184212-3f9a1c"), home);
    expect(parseLeaseOutput(sh(readLeaseScript(), home).stdout)).toBe("20261123-184212-3f9a1c");
  });

  it.each([
    { name: "no reset: releases", reset: undefined, code: 0, leaseKept: false, marker: "harness:released" },
    {
      name: "a passing reset: runs it, then releases",
      reset: "echo reset-ran; true",
      code: 0,
      leaseKept: false,
      marker: "reset-ran",
    },
    {
      name: "a failing reset: keeps the lease",
      reset: "echo 'it''s broken' >&2; exit 3",
      code: 3,
      leaseKept: true,
      marker: "",
    },
  ])("releases its own run: $name", ({ reset, code, leaseKept, marker }) => {
    sh(claimScript("20261123-184212-3f9a1c"), home);
    const r = sh(releaseScript("20261123-184212-3f9a1c", reset), home);
    expect(r.code).toBe(code);
    expect(r.stdout).toContain(marker);
    expect(existsSync(lease())).toBe(leaseKept);
  });

  it("never resets a host claimed by another run", () => {
    sh(claimScript("20261124-000000-bbbbbb"), home);
    const r = sh(releaseScript("20261123-184212-3f9a1c", "echo must-not-run"), home);
    expect(r).toEqual({ stdout: "harness:not-leased\n", code: 0 });
    expect(readFileSync(lease(), "utf8")).toBe("20261124-000000-bbbbbb\n");
  });

  it.each([
    {
      name: "a host without ip",
      stdout: "harness:previous-run=\nharness:no-ip-command\n",
      expected: { previousRun: "", addresses: null },
    },
    {
      name: "motd noise around marked lines",
      stdout: "Welcome!\nharness:previous-run=x\nharness:address=10.0.0.1\nharness:address=127.0.0.1\n",
      expected: { previousRun: "x", addresses: ["10.0.0.1", "127.0.0.1"] },
    },
  ])("parses claim output: $name", ({ stdout, expected }) => {
    expect(parseClaimOutput(stdout)).toEqual(expected);
  });
});
