// Adapts the fingerprint script and parser (harness/fingerprint) to the runner: flat facts for run.json.
import { fingerprintScript } from "../fingerprint/fingerprint-script.ts";
import { parseFingerprint, type EnvironmentFingerprint } from "../fingerprint/parse-fingerprint.ts";
import type { FingerprintReader } from "./runner-deps.ts";

const text = (v: string | number | boolean | null | undefined): string | undefined =>
  v === null || v === undefined ? undefined : String(v);

/**
 * The fingerprint as `fact -> value`: tool versions under the tool's name, what the version command printed under
 * the command (`runc --version`), packages as `package.<name>`.
 */
export function flattenFingerprint(fp: EnvironmentFingerprint): Record<string, string> {
  const entries: [string, string | undefined][] = [
    ["os", text(fp.os.prettyName ?? fp.os.id)],
    ["kernel", text(fp.kernel.release)],
    ["arch", text(fp.kernel.arch)],
    ["cgroup", fp.cgroupVersion === null ? undefined : `v${fp.cgroupVersion}`],
    [
      "apparmor",
      fp.apparmor.enabled === null
        ? undefined
        : fp.apparmor.enabled
          ? `enabled, ${fp.apparmor.profilesLoaded ?? "?"} profiles`
          : "disabled",
    ],
    [
      "apparmor.runc-profile",
      fp.apparmor.runcProfileLoaded === null
        ? undefined
        : fp.apparmor.runcProfileLoaded
          ? "loaded"
          : "absent",
    ],
    [
      "apparmor.cri-containerd-profile",
      fp.apparmor.criContainerdProfileLoaded === null
        ? undefined
        : fp.apparmor.criContainerdProfileLoaded
          ? "loaded"
          : "absent",
    ],
    ["containerd", text(fp.versions.containerd)],
    ["runc", text(fp.versions.runc)],
    ["runc.path", text(fp.runc.path)],
    ["runc.commit", text(fp.runc.commit)],
    ["docker", text(fp.versions.docker)],
    ["cri-dockerd", text(fp.versions.criDockerd)],
    ["kubelet", text(fp.versions.kubelet)],
    ["kubeadm", text(fp.versions.kubeadm)],
    ["kubectl", text(fp.versionLines.kubectl)],
    ["crictl", text(fp.versionLines.crictl)],
    ["apiserver", text(fp.apiserverVersion)],
    ["cgroup-driver.containerd", text(fp.cgroupDriver.containerd)],
    ["cgroup-driver.kubelet", text(fp.cgroupDriver.kubelet)],
    ["fs.pipe-user-pages-soft", text(fp.pipeUserPagesSoft)],
    [
      "swap",
      fp.swap === null
        ? undefined
        : fp.swap.devices === 0
          ? "off"
          : `${fp.swap.devices} device(s), ${fp.swap.totalKiB} KiB`,
    ],
    ...Object.entries(fp.versionOutputs).map(([k, v]): [string, string] => [k, v]),
    ...Object.entries(fp.packages).map(([k, v]): [string, string] => [`package.${k}`, v]),
    ...Object.entries(fp.images).map(([k, v]): [string, string] => [`image.${k}`, v]),
  ];
  return Object.fromEntries(entries.filter((e): e is [string, string] => e[1] !== undefined));
}

/** The runner's fingerprint reader: fingerprint.sh, parsed by parseFingerprint. */
export const environmentFingerprint: FingerprintReader = {
  script: fingerprintScript,
  parse: (stdout) => {
    const fp = parseFingerprint(stdout);
    return {
      facts: flattenFingerprint(fp),
      guestTimeMs: fp.guestClock === null ? null : fp.guestClock * 1000,
    };
  },
};
