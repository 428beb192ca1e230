// The profile's size as runc sees it: built with libseccomp (a small C helper) and exported with seccomp_export_bpf.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { largeSeccompProfile } from "./large-seccomp-profile.ts";

interface OciSeccomp {
  defaultAction: string;
  architectures: string[];
  syscalls: { names: string[]; action: string; args?: { index: number; value: number; op: string }[] }[];
}

/** The helper's input: `default`, `arch`, then one `allow` line per name (and per argument rule). */
function helperLines(profile: OciSeccomp): string {
  const lines = [`default ${profile.defaultAction === "SCMP_ACT_ERRNO" ? "errno" : "allow"}`];
  for (const arch of profile.architectures)
    lines.push(`arch ${arch.replace(/^SCMP_ARCH_/, "").toLowerCase()}`);
  for (const rule of profile.syscalls) {
    expect(rule.action).toBe("SCMP_ACT_ALLOW");
    for (const name of rule.names) {
      if (rule.args === undefined) lines.push(`allow ${name}`);
      else
        for (const a of rule.args)
          lines.push(`allow ${name} ${a.index} ${a.op.replace(/^SCMP_CMP_/, "").toLowerCase()} ${a.value}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

const header = "/usr/include/seccomp.h";
let dir = "";
let helper = "";

/** Exported BPF bytes, rules added and unknown names skipped, for a profile. */
function exported(profile: OciSeccomp): { bytes: number; rules: number; skipped: number } {
  const out = execFileSync(helper, { input: helperLines(profile), encoding: "utf8" });
  const [bytes, rules, skipped] = out.trim().split(" ").map(Number);
  return { bytes: bytes ?? 0, rules: rules ?? 0, skipped: skipped ?? 0 };
}

describe.skipIf(!existsSync(header))(
  "the large seccomp profile, exported with libseccomp (real libseccomp)",
  () => {
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), "seccomp-size-"));
      helper = path.join(dir, "seccomp-bpf-size");
      const source = path.join(import.meta.dirname, "testing", "seccomp-bpf-size.c");
      execFileSync("gcc", ["-O1", "-Wall", "-Werror", "-o", helper, source, "-lseccomp"]);
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it("compiles to at least 10 KiB of BPF: more than the 8,192-byte shrunk pipe, with a margin", () => {
      const profile = JSON.parse(largeSeccompProfile()) as OciSeccomp;
      const size = exported(profile);
      expect(size.rules).toBeGreaterThan(300);
      expect(size.bytes).toBeGreaterThanOrEqual(10 * 1024);
    });

    it("over the three x86 architectures alone, the same names stay under 8,192 bytes (why the arm family is listed)", () => {
      const profile = JSON.parse(largeSeccompProfile()) as OciSeccomp;
      const x86 = { ...profile, architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"] };
      expect(exported(x86).bytes).toBeLessThan(8192);
    });
  },
);
