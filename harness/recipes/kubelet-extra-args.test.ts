import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { kubeletExtraArgsDescription, kubeletExtraArgsLine } from "./kubelet-extra-args.ts";

/** Runs the rendered line in bash with /etc/default/kubelet moved into a temp dir, and returns the file. */
function written(line: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "kubelet-args-")), "kubelet");
  const r = spawnSync("bash", ["-c", line.replace("/etc/default/kubelet", file)], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return readFileSync(file, "utf8");
}

describe("kubelet's extra args", () => {
  const base = { version: "1.20.2", serviceSubnet: "10.96.0.0/12", ignorePreflightErrors: [] };

  it("writes node-ip only when the scenario sets no verbosity (run by bash)", () => {
    expect(written(kubeletExtraArgsLine(base, "10.200.0.11"))).toBe(
      "KUBELET_EXTRA_ARGS=--node-ip=10.200.0.11\n",
    );
    expect(kubeletExtraArgsDescription(base)).toBe("kubelet --node-ip = the node's private address");
  });

  it.each([0, 3, 10])("adds --v=%i when the scenario sets it (run by bash)", (v) => {
    const kubernetes = { ...base, kubeletVerbosity: v };
    expect(written(kubeletExtraArgsLine(kubernetes, "10.200.0.12"))).toBe(
      `KUBELET_EXTRA_ARGS=--node-ip=10.200.0.12 --v=${v}\n`,
    );
    expect(kubeletExtraArgsDescription(kubernetes)).toContain(`, --v=${v}`);
  });
});
