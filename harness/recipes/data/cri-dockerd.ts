// cri-dockerd: release assets, the systemd units the recipe writes, and its CRI socket.

/** The CRI socket cri-dockerd listens on (its socket unit's `%t/cri-dockerd.sock`). */
export const criDockerdSocket = "unix:///var/run/cri-dockerd.sock";

/**
 * The binary-only tarball of a release (`0.3.15`); it unpacks to `cri-dockerd/cri-dockerd`.
 * Mirantis publishes no checksum file: the sha256 comes from artifacts.lock.json, written by `harness artifacts pin` (null here).
 */
export function criDockerdRelease(version: string): { url: string; sha256: string | null } {
  return {
    url: `https://github.com/Mirantis/cri-dockerd/releases/download/v${version}/cri-dockerd-${version}.amd64.tgz`,
    sha256: criDockerdSha256[version] ?? null,
  };
}

/** Pinned sha256 of release tarballs, by version; for releases whose checksum is published; the others are pinned in artifacts.lock.json. */
const criDockerdSha256: Record<string, string> = {};

/** cri-docker.socket as in the repo's packaging/systemd (group docker). */
export const criDockerSocketUnit = `[Unit]
Description=CRI Docker Socket for the API
PartOf=cri-docker.service

[Socket]
ListenStream=%t/cri-dockerd.sock
SocketMode=0660
SocketUser=root
SocketGroup=docker

[Install]
WantedBy=sockets.target
`;

/** cri-docker.service as in the repo's packaging/systemd, with ExecStart given by the recipe. */
export function criDockerServiceUnit(execStart: string): string {
  return `[Unit]
Description=CRI Interface for Docker Application Container Engine
Documentation=https://docs.mirantis.com
After=network-online.target firewalld.service docker.service
Wants=network-online.target
Requires=cri-docker.socket

[Service]
Type=notify
ExecStart=${execStart}
ExecReload=/bin/kill -s HUP $MAINPID
TimeoutSec=0
RestartSec=2
Restart=always
StartLimitBurst=3
StartLimitInterval=60s
LimitNOFILE=infinity
LimitNPROC=infinity
LimitCORE=infinity
TasksMax=infinity
Delegate=yes
KillMode=process

[Install]
WantedBy=multi-user.target
`;
}
