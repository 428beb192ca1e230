// containerd: upstream release artifacts, the systemd unit the release recipe writes, and the distro package name.

/** Package name of containerd in Debian and Ubuntu. */
export const containerdPackage = "containerd";

/** Upstream release tarball of a version (`1.7.22`), and the checksum file published beside it. */
export function containerdRelease(version: string): { url: string; checksumUrl: string; fileName: string } {
  const fileName = `containerd-${version}-linux-amd64.tar.gz`;
  const url = `https://github.com/containerd/containerd/releases/download/v${version}/${fileName}`;
  return { url, checksumUrl: `${url}.sha256sum`, fileName };
}

/** containerd.service for a release install under /usr/local (upstream's containerd.service, ExecStart in /usr/local/bin). */
export const containerdReleaseUnit = `[Unit]
Description=containerd container runtime
Documentation=https://containerd.io
After=network.target local-fs.target dbus.service

[Service]
ExecStartPre=-/sbin/modprobe overlay
ExecStart=/usr/local/bin/containerd
Type=notify
Delegate=yes
KillMode=process
Restart=always
RestartSec=5
LimitNPROC=infinity
LimitCORE=infinity
LimitNOFILE=infinity
TasksMax=infinity
OOMScoreAdjust=-999

[Install]
WantedBy=multi-user.target
`;

/**
 * The config Docker's containerd.io package installs as /etc/containerd/config.toml (its comments dropped):
 * a version 1 config whose only setting disables the CRI plugin. containerd 1.7 and 2.x reject the short
 * name "cri" in a version 2 config, so the fault writes this file as it ships rather than editing a key.
 */
export const containerdIoPackagedConfig = `# As Docker's containerd.io package ships /etc/containerd/config.toml (version 1, CRI disabled).
disabled_plugins = ["cri"]
`;
