import { mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  aptInstallLine,
  formatDoctorReport,
  hostTools,
  missingHostTools,
  type DoctorReport,
} from "./doctor-report.ts";

const report: DoctorReport = {
  providers: [
    {
      name: "qemu",
      available: true,
      reason: "QEMU emulator version 7.2.22; accelerator: tcg (TCG because ...)",
    },
    { name: "multipass", available: false, reason: "multipass not found on PATH" },
  ],
  kvm: { usable: false, reason: "/dev/kvm is provided by kvm_pvm" },
  disk: { path: "/cache", freeBytes: 5 * 1024 ** 3 },
  memory: { availableBytes: 20 * 1024 ** 3, totalBytes: 24 * 1024 ** 3 },
  missingTools: [hostTools[4]!, hostTools[5]!],
};

describe("doctor report", () => {
  it.each([
    { missing: [], line: null },
    { missing: [hostTools[2]!, hostTools[3]!], line: "apt-get install -y openssh-client" },
    { missing: [hostTools[5]!, hostTools[0]!], line: "apt-get install -y debootstrap qemu-system-x86" },
  ])("apt line for $missing.length missing tools", ({ missing, line }) => {
    expect(aptInstallLine(missing)).toBe(line);
  });

  it("prints providers, KVM, low disk and the install line", () => {
    expect(formatDoctorReport(report)).toMatchInlineSnapshot(`
      "providers:
        ok   qemu       QEMU emulator version 7.2.22; accelerator: tcg (TCG because ...)
        no   multipass  multipass not found on PATH

      kvm: not usable: /dev/kvm is provided by kvm_pvm
      disk: 5.0 GiB free in /cache (low: images and overlays need ~10 GiB)
      memory: 20.0 GiB available of 24.0 GiB
      host tools missing:
        genisoimage          (genisoimage) for cloud-init seeds of Ubuntu images
        debootstrap          (debootstrap) for building Debian images, runc build roots
      install them with: apt-get install -y debootstrap genisoimage
      "
    `);
  });

  it("finds tools missing from PATH (real lookup)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "doctor-"));
    await symlink("/bin/sh", join(dir, "sh"));
    const saved = process.env.PATH;
    process.env.PATH = dir;
    try {
      const missing = await missingHostTools([
        { command: "sh", package: "dash", neededFor: "x" },
        { command: "surely-not-installed-tool", package: "nothing", neededFor: "y" },
      ]);
      expect(missing.map((t) => t.command)).toEqual(["surely-not-installed-tool"]);
    } finally {
      process.env.PATH = saved;
      await rm(dir, { recursive: true, force: true });
    }
  });
});
