// Reads the output of fingerprint.sh into a typed record; a fact the script could not read is null, never a guess.
import { HarnessError } from "../errors.ts";

/** What a node runs: OS, kernel, cgroups, AppArmor, runtime versions and settings, the guest clock. */
export interface EnvironmentFingerprint {
  os: { id: string | null; versionId: string | null; codename: string | null; prettyName: string | null };
  kernel: { release: string | null; arch: string | null };
  /** 2 when /sys/fs/cgroup is cgroup2fs, 1 when it is the tmpfs of a v1 hierarchy. */
  cgroupVersion: 1 | 2 | null;
  apparmor: {
    enabled: boolean | null;
    profilesLoaded: number | null;
    runcProfileLoaded: boolean | null;
    criContainerdProfileLoaded: boolean | null;
  };
  /** Versions the tools report (`v` dropped), e.g. containerd `1.6.20~ds1`, runc `1.0.0-rc93`, kubelet `1.30.4`. */
  versions: {
    containerd: string | null;
    runc: string | null;
    docker: string | null;
    criDockerd: string | null;
    kubelet: string | null;
    kubeadm: string | null;
  };
  /** The first line each tool printed for its version, for the record. */
  versionLines: Record<string, string>;
  /** What each tool printed for its version, keyed by the command (`runc --version`): runc's every line, the others' first. */
  versionOutputs: Record<string, string>;
  runc: { path: string | null; commit: string | null };
  /** Installed Debian packages of interest: name -> version (`dpkg-query -W`). */
  packages: Record<string, string>;
  /** What the API server reports (`kubectl version --short`), when the node is a control plane. */
  apiserverVersion: string | null;
  /** Images in containerd's k8s.io namespace: reference -> manifest digest. */
  images: Record<string, string>;
  cgroupDriver: { containerd: "systemd" | "cgroupfs" | null; kubelet: string | null };
  pipeUserPagesSoft: number | null;
  swap: { devices: number; totalKiB: number } | null;
  machineId: string | null;
  /** The guest's clock when the script ran, seconds since the epoch (fractional). */
  guestClock: number | null;
}

const header = "harness-fingerprint 1";

/** The command fingerprint.sh runs for each tool's `<tool>.version` fact. */
const versionCommands: Readonly<Record<string, string>> = {
  containerd: "containerd --version",
  runc: "runc --version",
  docker: "docker --version",
  "cri-dockerd": "cri-dockerd --version",
  kubelet: "kubelet --version",
  kubeadm: "kubeadm version -o short",
  kubectl: "kubectl version --client --short",
  crictl: "crictl --version",
};

function unquote(value: string): string {
  const m = /^(["'])(.*)\1$/.exec(value);
  return m ? (m[2] ?? "") : value;
}

function integer(value: string | undefined): number | null {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : null;
}

/** The version word of a `--version` line: `containerd github.com/containerd/containerd v1.7.24 <commit>` -> 1.7.24. */
function versionWord(line: string | undefined, index: number): string | null {
  const word = line?.trim().split(/\s+/)[index]?.replace(/,$/, "");
  if (word === undefined || !/^v?\d/.test(word)) return null;
  return word.replace(/^v/, "");
}

function presence(value: string | undefined): boolean | null {
  return value === "loaded" ? true : value === "absent" ? false : null;
}

/** Parses fingerprint.sh output; throws when it is not that script's output (e.g. bash failed before printing). */
export function parseFingerprint(text: string): EnvironmentFingerprint {
  const lines = text.split("\n").map((l) => l.replace(/\r$/, ""));
  if (lines[0] !== header)
    throw new HarnessError(
      "FINGERPRINT_UNREADABLE",
      `the node's fingerprint output does not start with "${header}"`,
      {
        hint: `run harness/fingerprint/fingerprint.sh on the node by hand to see what it prints; it starts with: ${JSON.stringify(lines[0]?.slice(0, 80) ?? "")}`,
      },
    );
  const facts = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const eq = line.indexOf("=");
    if (eq > 0) facts.set(line.slice(0, eq), line.slice(eq + 1));
  }
  const get = (key: string) => facts.get(key);
  const textOf = (key: string) => {
    const v = get(key);
    return v === undefined ? null : unquote(v);
  };
  const versionLines: Record<string, string> = {};
  const versionOutputs: Record<string, string> = {};
  for (const [tool, command] of Object.entries(versionCommands)) {
    const line = get(`${tool}.version`);
    if (line === undefined) continue;
    versionLines[tool] = line;
    // runc's output is several lines (version, commit, spec, go, libseccomp), sent tab-separated.
    versionOutputs[command] =
      (tool === "runc" ? get("runc.version-output") : undefined)?.split("\t").join("\n") ?? line;
  }
  const packages: Record<string, string> = {};
  const images: Record<string, string> = {};
  for (const [key, value] of facts) {
    if (key.startsWith("package.")) packages[key.slice("package.".length)] = value;
    if (key.startsWith("image.")) images[key.slice("image.".length)] = value;
  }
  const cgroupFs = get("cgroup.fs");
  const enabled = get("apparmor.enabled");
  const systemdCgroup = get("containerd.systemdCgroup");
  const swapDevices = integer(get("swap.devices"));
  const swapTotal = integer(get("swap.totalKiB"));
  const clock = get("clock");
  return {
    os: {
      id: textOf("os.ID"),
      versionId: textOf("os.VERSION_ID"),
      codename: textOf("os.VERSION_CODENAME"),
      prettyName: textOf("os.PRETTY_NAME"),
    },
    kernel: { release: textOf("kernel.release"), arch: textOf("kernel.arch") },
    cgroupVersion: cgroupFs === "cgroup2fs" ? 2 : cgroupFs === "tmpfs" ? 1 : null,
    apparmor: {
      enabled: enabled === "Y" ? true : enabled === "N" ? false : null,
      profilesLoaded: integer(get("apparmor.profiles")),
      runcProfileLoaded: presence(get("apparmor.runc")),
      criContainerdProfileLoaded: presence(get("apparmor.cri-containerd")),
    },
    versions: {
      containerd: versionWord(versionLines.containerd, 2),
      runc: versionWord(versionLines.runc, 2),
      docker: versionWord(versionLines.docker, 2),
      criDockerd: versionWord(versionLines["cri-dockerd"], 1),
      kubelet: versionWord(versionLines.kubelet, 1),
      kubeadm: versionWord(versionLines.kubeadm, 0),
    },
    versionLines,
    versionOutputs,
    runc: { path: textOf("runc.path"), commit: textOf("runc.commit") },
    packages,
    apiserverVersion: textOf("apiserver.version"),
    images,
    cgroupDriver: {
      containerd: systemdCgroup === "true" ? "systemd" : systemdCgroup === "false" ? "cgroupfs" : null,
      kubelet: textOf("kubelet.cgroupDriver"),
    },
    pipeUserPagesSoft: integer(get("sysctl.fs.pipe-user-pages-soft")),
    swap: swapDevices !== null && swapTotal !== null ? { devices: swapDevices, totalKiB: swapTotal } : null,
    machineId: textOf("machine-id"),
    guestClock: clock !== undefined && /^\d+(\.\d+)?$/.test(clock) ? Number(clock) : null,
  };
}
