// runc: upstream release binary and its checksum file, and where the harness installs non-distro builds.

/** Package name of runc in Debian and Ubuntu. */
export const runcPackage = "runc";

/** Where the distro package installs runc (containerd's default when BinaryName is empty). */
export const distroRuncPath = "/usr/sbin/runc";

/** Where a release or local runc is installed; containerd's BinaryName points here. */
export const localRuncPath = "/usr/local/sbin/runc";

/** Where a runc-override fault installs its binary. */
export const overrideRuncPath = "/usr/local/sbin/runc-override";

/**
 * The release binary of a version (`1.1.14`, `1.0.0-rc93`) and the checksum file listing it.
 * runc.sha256sum is published with every release since v1.0.0-rc93 (unconfirmed for rc93 itself: a run that
 * cannot fetch it must say so and the artifact be pinned with `harness artifacts pin`).
 */
export function runcRelease(version: string): { url: string; checksumUrl: string } {
  const base = `https://github.com/opencontainers/runc/releases/download/v${version}`;
  return { url: `${base}/runc.amd64`, checksumUrl: `${base}/runc.sha256sum` };
}
