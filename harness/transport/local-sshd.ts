// A throwaway OpenSSH server on 127.0.0.1 (own host key, own authorized key) for transport tests and benchmarks.
import { access, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { userInfo } from "node:os";
import { execa, type ResultPromise } from "execa";
import { HarnessError } from "../errors.ts";
import type { SshEndpoint } from "../providers/provider.ts";
import { freeLoopbackPort, isLoopbackPortOpen } from "./free-port.ts";
import { generateRunKeyPair } from "./ssh-keys.ts";

/** Where Debian installs the server binaries. */
const sshdPath = "/usr/sbin/sshd";
const sftpServerPath = "/usr/lib/openssh/sftp-server";

/** A running sshd and how to reach it. */
export interface LocalSshd {
  endpoint: SshEndpoint & { hostKey: string };
  /** Stops the server (sessions already open keep running until they end). */
  stop(): Promise<void>;
}

/** Whether this host can run the fixture (openssh-server and openssh-sftp-server installed). */
export async function localSshdAvailable(): Promise<boolean> {
  try {
    await access(sshdPath);
    await access(sftpServerPath);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts sshd in the foreground on a free loopback port with keys under `dir`; resolves once it accepts connections.
 * `maxSessions` (default 64) is sshd's channel limit per connection; OpenSSH's own default, which guests run, is 10.
 */
export async function startLocalSshd(
  dir: string,
  options: { maxSessions?: number } = {},
): Promise<LocalSshd> {
  if (!(await localSshdAvailable())) {
    throw new HarnessError("SSHD_MISSING", `${sshdPath} or ${sftpServerPath} is not installed`, {
      hint: "apt-get install openssh-server openssh-sftp-server",
    });
  }
  await mkdir(dir, { recursive: true });
  await mkdir("/run/sshd", { recursive: true, mode: 0o755 });
  const hostKey = await generateRunKeyPair(join(dir, "host"), "local-sshd");
  const client = await generateRunKeyPair(join(dir, "client"), "local-sshd-client");
  await writeFile(join(dir, "authorized_keys"), `${client.publicKey}\n`, { mode: 0o600 });
  const port = await freeLoopbackPort();
  const config = [
    `Port ${port}`,
    "ListenAddress 127.0.0.1",
    `HostKey ${hostKey.privateKeyPath}`,
    `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
    `PidFile ${join(dir, "sshd.pid")}`,
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "PermitRootLogin prohibit-password",
    "UsePAM no",
    "StrictModes no",
    "UseDNS no",
    `MaxSessions ${options.maxSessions ?? 64}`,
    "MaxStartups 64",
    `Subsystem sftp ${sftpServerPath}`,
    // bash sources ~/.bashrc for commands from sshd only when it is a top-level shell (SHLVL < 2): keep the host
    // user's (possibly slow) .bashrc out of tests and measurements.
    "SetEnv SHLVL=1",
  ].join("\n");
  await writeFile(join(dir, "sshd_config"), `${config}\n`);
  const server: ResultPromise = execa(sshdPath, ["-D", "-e", "-f", join(dir, "sshd_config")], {
    reject: false,
    stdin: "ignore",
    stdout: "ignore",
    stderr: ["pipe"],
  });
  let log = "";
  server.stderr?.on("data", (c: Buffer) => (log += c.toString()));
  for (let i = 0; i < 100 && !(await isLoopbackPortOpen(port)); i++) {
    if (server.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!(await isLoopbackPortOpen(port))) {
    server.kill("SIGKILL");
    throw new HarnessError("SSHD_START_FAILED", `sshd did not start on 127.0.0.1:${port}: ${log.trim()}`, {
      hint: `check ${join(dir, "sshd_config")}`,
    });
  }
  return {
    endpoint: {
      host: "127.0.0.1",
      port,
      user: userInfo().username,
      privateKeyPath: client.privateKeyPath,
      hostKey: (await readFile(`${hostKey.privateKeyPath}.pub`, "utf8")).trim(),
    },
    async stop() {
      server.kill("SIGTERM");
      await server;
    },
  };
}
