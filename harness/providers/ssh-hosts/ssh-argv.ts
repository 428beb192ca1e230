// Argument vectors of the OpenSSH client calls the ssh-hosts provider makes (pure), and the known_hosts line of a pinned key.

/** Where and how to connect, and how strictly to check the host key. */
export interface SshTarget {
  address: string;
  port: number;
  user: string;
  keyPath: string;
  /** A known_hosts file private to the harness (never the user's ~/.ssh/known_hosts). */
  knownHostsFile: string;
  /** `yes` when the host key is pinned in that file, `accept-new` to record it on first contact. */
  hostKeyChecking: "yes" | "accept-new";
  connectTimeoutS: number;
}

/** `ssh ... user@address -- command`: batch mode, only the given key, the harness's own known_hosts. */
export function sshArgv(target: SshTarget, command: string): string[] {
  return [
    "-i",
    target.keyPath,
    "-p",
    String(target.port),
    "-o",
    "BatchMode=yes",
    "-o",
    "IdentitiesOnly=yes",
    "-o",
    `UserKnownHostsFile=${target.knownHostsFile}`,
    "-o",
    `StrictHostKeyChecking=${target.hostKeyChecking}`,
    "-o",
    "HashKnownHosts=no",
    "-o",
    "GlobalKnownHostsFile=/dev/null",
    "-o",
    `ConnectTimeout=${target.connectTimeoutS}`,
    "-o",
    "LogLevel=ERROR",
    `${target.user}@${target.address}`,
    "--",
    command,
  ];
}

/** The known_hosts name of a host: `address`, or `[address]:port` off port 22. */
export function knownHostsName(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}

/** The known_hosts line pinning `hostKey` (`ssh-ed25519 AAAA...`) for a host. */
export function knownHostsLine(address: string, port: number, hostKey: string): string {
  return `${knownHostsName(address, port)} ${hostKey.trim()}\n`;
}

/** The first host key recorded for a host in known_hosts text, as `type base64`; null when none. */
export function recordedHostKey(knownHosts: string, address: string, port: number): string | null {
  const name = knownHostsName(address, port);
  for (const line of knownHosts.split("\n")) {
    const [names, type, key] = line.trim().split(/\s+/);
    if (names?.split(",").includes(name) && type && key) return `${type} ${key}`;
  }
  return null;
}
