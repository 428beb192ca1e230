import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import type { MachinePlan } from "../../plan/plan.ts";
import { recipeContext, kubeScenario } from "../testing/scenario-context.ts";
import { sysctlFault, sysctlFaultFile } from "./sysctl.ts";

/**
 * A `sysctl` on PATH that keeps values in a file: `-w k=v` stores v (unless REFUSE is set, as a kernel that
 * rejects the value leaves the old one), `-n k` prints it.
 */
const fakeSysctl = `#!/bin/bash
store="$FAKE_SYSCTL_STORE"
if [ "$1" = -w ]; then
  [ -n "\${REFUSE:-}" ] && exit 0
  printf '%s\\n' "\${2#*=}" > "$store"; exit 0
fi
if [ "$1" = -n ]; then cat "$store"; exit 0; fi
exit 2
`;

async function runFault(value: string | number, env: Record<string, string>) {
  const dir = mkdtempSync(path.join(tmpdir(), "sysctl-fault-"));
  writeFileSync(path.join(dir, "sysctl"), fakeSysctl, { mode: 0o755 });
  writeFileSync(path.join(dir, "store"), "16384\n");
  const fault = {
    kind: "sysctl" as const,
    key: "fs.pipe-user-pages-soft",
    value,
    phase: "configure" as const,
  };
  const step = sysctlFault(fault, recipeContext(kubeScenario({})));
  // The drop-in goes to /etc/sysctl.d: on a tmpfs in a mount namespace of its own, never the host's.
  const script = `mount -t tmpfs none /etc/sysctl.d\n${step.body({} as MachinePlan)}\ncat ${sysctlFaultFile(fault.key)}`;
  return execa("unshare", ["--mount", "bash", "-euo", "pipefail", "-c", script], {
    reject: false,
    env: { PATH: `${dir}:${process.env.PATH}`, FAKE_SYSCTL_STORE: path.join(dir, "store"), ...env },
  });
}

describe.skipIf(userInfo().uid !== 0)(
  "the sysctl fault's script (real bash, a sysctl that keeps values in a file)",
  () => {
    it("sets the value, writes the drop-in, and passes when the kernel reads it back", async () => {
      const r = await runFault(2, {});
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toContain("fs.pipe-user-pages-soft = 2");
    });

    it("fails, saying what it read, when the kernel keeps its old value", async () => {
      const r = await runFault(2, { REFUSE: "1" });
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain(
        "harness: fs.pipe-user-pages-soft reads '16384' after sysctl -w, expected '2'",
      );
    });
  },
);
