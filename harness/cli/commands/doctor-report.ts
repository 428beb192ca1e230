// What `harness doctor` checks and prints: providers, KVM, free disk and memory, missing host tools with the apt-get line.
import { existsSync } from "node:fs";
import { statfs, readFile, mkdir } from "node:fs/promises";
import { freemem, totalmem } from "node:os";
import { execa } from "execa";
import type { ProviderAvailability } from "../../providers/registry.ts";

/** A host tool the harness runs, and the Debian package that provides it. */
export interface HostTool {
  command: string;
  /** A file that shows the package is installed, for packages without a command (headers, libraries). */
  file?: string;
  package: string;
  /** What needs it. */
  neededFor: string;
}

/** Every host tool, with its Debian package. */
export const hostTools: HostTool[] = [
  { command: "qemu-system-x86_64", package: "qemu-system-x86", neededFor: "qemu provider" },
  { command: "qemu-img", package: "qemu-utils", neededFor: "qemu provider (overlays)" },
  { command: "ssh", package: "openssh-client", neededFor: "ssh provider, benchmarks" },
  { command: "ssh-keygen", package: "openssh-client", neededFor: "run keys, image host keys" },
  { command: "genisoimage", package: "genisoimage", neededFor: "cloud-init seeds of Ubuntu images" },
  { command: "debootstrap", package: "debootstrap", neededFor: "building Debian images, runc build roots" },
  { command: "patch", package: "patch", neededFor: "runc builds (reverse-applying Debian's patch 0010)" },
  {
    command: "unshare",
    package: "util-linux",
    neededFor: "runc builds (a private mount namespace for the build root)",
  },
  { command: "mkfs.ext4", package: "e2fsprogs", neededFor: "building Debian images" },
  { command: "cpio", package: "cpio", neededFor: "building Debian images (initramfs)" },
  { command: "xz", package: "xz-utils", neededFor: "building Debian images (modules)" },
  { command: "jq", package: "jq", neededFor: "building Debian images (manifest)" },
  { command: "tar", package: "tar", neededFor: "Debian image seeds, container image archives" },
  { command: "make", package: "make", neededFor: "building Kubernetes from Debian's source (gen_openapi)" },
  { command: "gcc", package: "gcc", neededFor: "building Kubernetes' pause (gcc -static; libc6-dev)" },
  { command: "rsync", package: "rsync", neededFor: "building Kubernetes from Debian's source" },
  { command: "dpkg-deb", package: "dpkg", neededFor: "extracting the Go toolchain and image packages" },
  {
    command: "git",
    package: "git",
    neededFor: "the tests of the harness's commit stamp (real repositories)",
  },
  { command: "zstd", package: "zstd", neededFor: "building Debian images (compressed modules)" },
  {
    command: "busybox",
    package: "busybox-static",
    neededFor: "building Debian images (the initramfs), the CNI installer image",
  },
  { command: "gpgv", package: "gpgv", neededFor: "verifying Debian's signed apt indexes" },
  {
    command: "gpg",
    package: "gpg",
    neededFor: "keyrings of pinned apt sources, the signed-repository tests",
  },
  {
    command: "gpgconf",
    package: "gpgconf",
    neededFor: "the signed-repository tests (stopping their gpg-agent)",
  },
  { command: "shellcheck", package: "shellcheck", neededFor: "the tests that lint every rendered script" },
  { command: "ip", package: "iproute2", neededFor: "network namespaces in the tests" },
  {
    command: "sshd",
    file: "/usr/sbin/sshd",
    package: "openssh-server",
    neededFor: "the transport tests (a real sshd on 127.0.0.1)",
  },
  { command: "chromium", package: "chromium", neededFor: "the tests that render timeline.html" },
  { command: "ruby", package: "ruby", neededFor: "the tests that syntax-check generated Vagrantfiles" },
  {
    command: "seccomp.h",
    file: "/usr/include/seccomp.h",
    package: "libseccomp-dev",
    neededFor: "the test that exports the large seccomp profile with libseccomp and checks its size",
  },
];

/** Everything doctor found. */
export interface DoctorReport {
  providers: ProviderAvailability[];
  kvm: { usable: boolean; reason: string };
  disk: { path: string; freeBytes: number };
  memory: { availableBytes: number; totalBytes: number };
  missingTools: HostTool[];
}

/** The apt-get line that installs the packages of the missing tools; null when nothing is missing. */
export function aptInstallLine(missing: HostTool[]): string | null {
  const packages = [...new Set(missing.map((t) => t.package))].sort();
  return packages.length === 0 ? null : `apt-get install -y ${packages.join(" ")}`;
}

/** Which of the tools are not on PATH. */
export async function missingHostTools(tools: HostTool[] = hostTools): Promise<HostTool[]> {
  const found = await Promise.all(
    tools.map(async (t) => {
      if (t.file !== undefined) return existsSync(t.file);
      const r = await execa("sh", ["-c", `command -v ${t.command}`], { reject: false, stdin: "ignore" });
      return r.exitCode === 0;
    }),
  );
  return tools.filter((_, i) => !found[i]);
}

/** Free bytes on the filesystem holding `path` (created if needed). */
export async function freeDiskBytes(path: string): Promise<number> {
  await mkdir(path, { recursive: true });
  const s = await statfs(path);
  return s.bavail * s.bsize;
}

/** MemAvailable from /proc/meminfo (what a new guest can get), else os.freemem(). */
export async function availableMemoryBytes(): Promise<number> {
  const meminfo = await readFile("/proc/meminfo", "utf8").catch(() => "");
  const kib = /^MemAvailable:\s+(\d+) kB/m.exec(meminfo)?.[1];
  return kib === undefined ? freemem() : Number(kib) * 1024;
}

/** Total memory. */
export function totalMemoryBytes(): number {
  return totalmem();
}

function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}

/** Renders the report for a terminal. */
export function formatDoctorReport(r: DoctorReport): string {
  const lines: string[] = ["providers:"];
  for (const p of r.providers)
    lines.push(`  ${p.available ? "ok  " : "no  "} ${p.name.padEnd(10)} ${p.reason}`);
  lines.push("", `kvm: ${r.kvm.usable ? "usable" : "not usable"}: ${r.kvm.reason}`);
  lines.push(
    `disk: ${gib(r.disk.freeBytes)} free in ${r.disk.path}${r.disk.freeBytes < 10 * 1024 ** 3 ? " (low: images and overlays need ~10 GiB)" : ""}`,
  );
  lines.push(
    `memory: ${gib(r.memory.availableBytes)} available of ${gib(r.memory.totalBytes)}${r.memory.availableBytes < 4 * 1024 ** 3 ? " (low: a 2-node run needs ~4 GiB)" : ""}`,
  );
  const apt = aptInstallLine(r.missingTools);
  if (apt === null) lines.push("host tools: all present");
  else {
    lines.push("host tools missing:");
    for (const t of r.missingTools) lines.push(`  ${t.command.padEnd(20)} (${t.package}) for ${t.neededFor}`);
    lines.push(`install them with: ${apt}`);
  }
  return `${lines.join("\n")}\n`;
}
