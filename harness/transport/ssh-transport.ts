// Transport over one persistent SSH connection per machine (the ssh2 package): exec channels, SFTP, kill-on-timeout.
// Chosen over OpenSSH ControlMaster by bench/transport-overhead.ts: `true` on a local sshd took 2.9 ms (median of 200)
// on the kept ssh2 connection, 13.5 ms through a ControlMaster (one ssh process per command), 285 ms with a fresh ssh.
import { mkdir, readFile } from "node:fs/promises";
import { dirname, posix } from "node:path";
import { StringDecoder } from "node:string_decoder";
import pRetry, { AbortError } from "p-retry";
import ssh2 from "ssh2";
import type { ClientChannel, SFTPWrapper } from "ssh2";
import { ExitCode, HarnessError } from "../errors.ts";
import type { SshEndpoint } from "../providers/provider.ts";
import { quote } from "../recipes/shell.ts";
import { LineSplitter } from "./line-splitter.ts";
import type { KnownHosts } from "./ssh-keys.ts";
import type { CommandResult, ExecOptions, Transport } from "./transport.ts";
import pLimit from "p-limit";

/** How long a timed-out or aborted remote process group gets between SIGTERM and SIGKILL. */
const killGraceMs = 2_000;
/**
 * How long after SIGKILL a channel may stay open before the command is given up as a transport failure. The kill
 * itself needs a new session on the machine: under TCG with the guest's load average at 16-22, starting one took
 * several seconds and a 10 s grace ran out on commands that did end.
 */
const channelCloseGraceMs = 30_000;
/**
 * Keepalive: a ping every 5 s, and the connection is given up after 18 unanswered ones (90 s). With 3 s x 5 (15 s),
 * CI lost cp1 during kubeadm init's wait for the control plane (TCG, 3 vCPUs on 2 host cores), though nothing had
 * failed: a starved guest answers late, and a command in flight is lost with the connection.
 */
export const keepalive = { intervalMs: 5_000, countMax: 18 };

/** One failed connection attempt, reported so it lands in the timeline. */
export interface ConnectRetry {
  machine: string;
  attempt: number;
  error: string;
  elapsedMs: number;
}

/** How to open the connection. */
export interface SshConnectOptions {
  endpoint: SshEndpoint;
  /** The machine's name, for messages. */
  name: string;
  /** The run's known_hosts; `endpoint.hostKey`, when given, is pinned in it first. */
  knownHosts: KnownHosts;
  /** Keep retrying this long while the machine boots. */
  connectTimeoutMs: number;
  /** Time one attempt (TCP + handshake + auth) may take. */
  attemptTimeoutMs?: number;
  onRetry?: (retry: ConnectRetry) => void;
  /** How long the one reconnect after a lost connection may take before the machine is given up (default 60 s). */
  reconnectTimeoutMs?: number;
  /** Called when a lost connection was opened again (the commands in flight when it was lost stay failed). */
  onReconnect?: (reconnect: Reconnect) => void;
  signal?: AbortSignal;
}

/** A connection that was lost and opened again. */
export interface Reconnect {
  machine: string;
  /** Why the connection was lost. */
  reason: string;
  /** From the loss to the new connection. */
  downMs: number;
}

/** Opens the connection, retrying while the machine boots; fails at once on a host key mismatch. */
export async function connectSsh(options: SshConnectOptions): Promise<SshTransport> {
  const { endpoint, name, knownHosts } = options;
  if (endpoint.hostKey !== undefined) await knownHosts.pin(endpoint.host, endpoint.port, endpoint.hostKey);
  const privateKey = await readFile(endpoint.privateKeyPath);
  const description = `${endpoint.user}@${endpoint.host}:${endpoint.port} (${name})`;
  const open = (timeoutMs: number, started = performance.now()): Promise<ssh2.Client> =>
    pRetry(
      async () => {
        let hostKeyMismatch = false;
        try {
          return await openClient({
            host: endpoint.host,
            port: endpoint.port,
            username: endpoint.user,
            privateKey,
            readyTimeout: options.attemptTimeoutMs ?? 20_000,
            keepaliveInterval: keepalive.intervalMs,
            keepaliveCountMax: keepalive.countMax,
            hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
              knownHosts.verify(endpoint.host, endpoint.port, hostKeyLine(key)).then(
                (ok) => {
                  hostKeyMismatch = !ok;
                  verify(ok);
                },
                () => verify(false),
              );
            },
          });
        } catch (err) {
          if (hostKeyMismatch) {
            throw new AbortError(
              new HarnessError(
                "SSH_HOST_KEY_MISMATCH",
                `${description} presented a host key that does not match ${knownHosts.path}`,
                {
                  hint: "another machine may be answering on that port (a leftover run?): run `harness cleanup --all` and try again",
                  exitCode: ExitCode.infra,
                },
              ),
            );
          }
          throw err;
        }
      },
      {
        retries: 10_000,
        minTimeout: 300,
        maxTimeout: 2_000,
        factor: 1.5,
        maxRetryTime: timeoutMs,
        signal: options.signal,
        onFailedAttempt: ({ error, attemptNumber }) =>
          options.onRetry?.({
            machine: name,
            attempt: attemptNumber,
            error: error.message,
            elapsedMs: Math.round(performance.now() - started),
          }),
      },
    ).catch((err: unknown) => {
      if (err instanceof HarnessError) throw err;
      throw new HarnessError(
        "SSH_CONNECT_FAILED",
        `could not connect to ${description} within ${Math.round(timeoutMs / 1000)} s: ${(err as Error).message}`,
        {
          hint: "the machine may not have booted: look at its serial log under <runDir>/logs/<machine>/serial.log",
          exitCode: ExitCode.infra,
          cause: err,
        },
      );
    });
  const client = await open(options.connectTimeoutMs);
  const transport = new SshTransport(client, description, endpoint.user, {
    reopen: () => open(options.reconnectTimeoutMs ?? 60_000),
    onReconnect: (r) => options.onReconnect?.({ machine: name, ...r }),
  });
  await transport.prepare();
  return transport;
}

/** A key blob from the SSH protocol as an OpenSSH public key line (`<type> <base64>`). */
export function hostKeyLine(blob: Buffer): string {
  const typeLength = blob.readUInt32BE(0);
  const type = blob.subarray(4, 4 + typeLength).toString("ascii");
  return `${type} ${blob.toString("base64")}`;
}

/**
 * What is sent for a command: the shell sshd starts is a session (and process group) leader, so recording its `$$`
 * names the whole command tree for a later kill; a non-root login runs the command through `sudo -n` (machines are
 * driven as root, and a password prompt must fail instead of hanging).
 */
export function wireCommand(command: string, pidFile: string, user: string): string {
  const record = `echo $$ >${pidFile}`;
  return user === "root" ? `${record}\n${command}` : `${record}\nexec sudo -n -- bash -c ${quote(command)}`;
}

/** One connection attempt: resolves on `ready`, rejects on the first error. */
function openClient(config: ssh2.ConnectConfig): Promise<ssh2.Client> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    // A failing attempt may emit several errors; all but the first are ignored.
    const onError = (err: Error): void => {
      client.end();
      reject(err);
    };
    client.on("error", onError);
    client.once("ready", () => {
      client.off("error", onError);
      // Small request/response packets: without TCP_NODELAY, Nagle + delayed ACK add ~40 ms to every command.
      client.setNoDelay(true);
      resolve(client);
    });
    client.connect(config);
  });
}

/** A command in flight, finished early when the connection drops. */
interface Pending {
  drop(reason: string): void;
}

/**
 * Commands open at once over one connection. OpenSSH's sshd allows 10 sessions per connection (MaxSessions) and
 * refuses the 11th channel ("open failed"); the SFTP session and the short channels that signal a timed-out
 * command take sessions too, so commands beyond this many wait for a free one.
 */
export const maxCommandChannels = 6;

/** How a transport opens its connection again after losing it, and whom it tells. */
export interface Reopen {
  reopen(): Promise<ssh2.Client>;
  onReconnect(reconnect: Omit<Reconnect, "machine">): void;
}

/**
 * Runs commands over the kept connection; each command's process group is recorded so a timeout can kill it remotely.
 * A lost connection fails the commands in flight; the next command opens it once more (a stalled guest answers
 * again, and its logs can still be collected), and if that fails too, every later command fails at once.
 */
export class SshTransport implements Transport {
  private lostReason: string | undefined;
  private lostAt = 0;
  private reconnecting: Promise<void> | undefined;
  private givenUp = false;
  private closing = false;
  private readonly channels = pLimit(maxCommandChannels);
  private readonly pending = new Set<Pending>();
  private sftpSession: Promise<SFTPWrapper> | undefined;
  private counter = 0;
  /** Per-connection directory on the machine holding one pid file (the command's process group) per command. */
  private readonly commandDir: string;

  constructor(
    private client: ssh2.Client,
    readonly description: string,
    private readonly user: string,
    private readonly again?: Reopen,
  ) {
    const id = `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    this.commandDir = user === "root" ? `/run/harness-cmd/${id}` : `/tmp/harness-cmd-${id}`;
    this.watch(client);
  }

  /** Losses are taken from the current client only: a replaced one still emits its own close. */
  private watch(client: ssh2.Client): void {
    client.on("error", (err: Error) => {
      if (client === this.client) this.lose(`connection error: ${err.message}`);
    });
    client.on("close", () => {
      if (client === this.client) this.lose("connection closed");
    });
  }

  /** After a loss, opens the connection once more (commands waiting meanwhile share the attempt). */
  private async reconnect(): Promise<void> {
    if (this.lostReason === undefined || this.givenUp || this.closing || this.again === undefined) return;
    const again = this.again;
    this.reconnecting ??= (async () => {
      const reason = this.lostReason ?? "";
      try {
        const client = await again.reopen();
        this.client = client;
        this.watch(client);
        this.sftpSession = undefined;
        this.lostReason = undefined;
        await this.prepare();
        again.onReconnect({ reason, downMs: Math.round(performance.now() - this.lostAt) });
      } catch (err) {
        this.givenUp = true;
        this.lostReason = `${reason}; opening it again failed: ${(err as Error).message}`;
      } finally {
        this.reconnecting = undefined;
      }
    })();
    await this.reconnecting;
  }

  /** Creates the per-connection pid directory (once, right after connecting). */
  async prepare(): Promise<void> {
    const r = await this.run(`mkdir -p ${quote(this.commandDir)}`, { timeoutMs: 30_000 }, false);
    if (r.exitCode !== 0) {
      throw new HarnessError(
        "SSH_PREPARE_FAILED",
        `could not create ${this.commandDir} on ${this.description}: ${r.transportError ?? r.stderr.trim()}`,
        { hint: "check that the machine's filesystem is writable", exitCode: ExitCode.infra },
      );
    }
  }

  /** Runs a command once a channel is free (its timeout counts from then); an abort while it waits ends it unrun. */
  exec(command: string, options: ExecOptions): Promise<CommandResult> {
    return this.channels(async () => {
      if (options.signal?.aborted) return this.unrun(command, "aborted before a channel was free");
      await this.reconnect();
      return this.run(command, options, true);
    });
  }

  private unrun(command: string, reason: string): CommandResult {
    return {
      command,
      startedAt: Date.now(),
      exitCode: null,
      signal: null,
      stdout: "",
      stderr: "",
      durationMs: 0,
      timedOut: false,
      transportError: `${this.description}: ${reason}`,
    };
  }

  private run(command: string, options: ExecOptions, tracked: boolean): Promise<CommandResult> {
    const startedAt = Date.now();
    const t0 = performance.now();
    const pidFile = `${this.commandDir}/${++this.counter}`;
    const wire = tracked ? wireCommand(command, pidFile, this.user) : command;
    const base = { command, startedAt };
    if (this.lostReason !== undefined) return Promise.resolve(this.unrun(command, this.lostReason));
    return new Promise((resolve) => {
      let stdout = "";
      let stderr = "";
      let exitCode: number | null = null;
      let signal: string | null = null;
      let timedOut = false;
      let finished = false;
      const timers: NodeJS.Timeout[] = [];
      const splitters = {
        stdout: new LineSplitter((l) => options.onLine?.("stdout", l)),
        stderr: new LineSplitter((l) => options.onLine?.("stderr", l)),
      };
      const finish = (transportError?: string): void => {
        if (finished) return;
        finished = true;
        for (const t of timers) clearTimeout(t);
        options.signal?.removeEventListener("abort", onAbort);
        this.pending.delete(entry);
        splitters.stdout.flush();
        splitters.stderr.flush();
        resolve({
          ...base,
          exitCode,
          signal,
          stdout,
          stderr,
          durationMs: Math.round(performance.now() - t0),
          timedOut,
          ...(transportError === undefined ? {} : { transportError }),
        });
      };
      const entry: Pending = { drop: (reason) => finish(`${this.description}: ${reason}`) };
      this.pending.add(entry);
      const killTree = (): void => {
        if (!tracked) return;
        this.signalGroup(pidFile, "TERM");
        timers.push(setTimeout(() => this.signalGroup(pidFile, "KILL"), killGraceMs));
        timers.push(
          setTimeout(
            () =>
              finish(
                `${this.description}: the command did not end ${channelCloseGraceMs / 1000} s after SIGKILL`,
              ),
            killGraceMs + channelCloseGraceMs,
          ),
        );
      };
      const onAbort = (): void => killTree();
      options.signal?.addEventListener("abort", onAbort, { once: true });
      timers.push(
        setTimeout(() => {
          timedOut = true;
          killTree();
        }, options.timeoutMs),
      );

      this.client.exec(wire, (err: Error | undefined, stream: ClientChannel) => {
        if (err) {
          finish(`${this.description}: could not open a channel: ${err.message}`);
          return;
        }
        const decoders = { stdout: new StringDecoder("utf8"), stderr: new StringDecoder("utf8") };
        stream.on("data", (chunk: Buffer) => {
          const text = decoders.stdout.write(chunk);
          stdout += text;
          splitters.stdout.push(text);
        });
        stream.stderr.on("data", (chunk: Buffer) => {
          const text = decoders.stderr.write(chunk);
          stderr += text;
          splitters.stderr.push(text);
        });
        stream.on("exit", (code: number | null, signalName?: string) => {
          exitCode = typeof code === "number" ? code : null;
          signal = signalName ? (signalName.startsWith("SIG") ? signalName : `SIG${signalName}`) : null;
        });
        stream.on("close", () => {
          if (exitCode === null && signal === null && !timedOut && this.lostReason !== undefined) {
            finish(`${this.description}: ${this.lostReason}`);
            return;
          }
          if (exitCode === null && signal === null) {
            finish(`${this.description}: the channel closed without an exit status`);
            return;
          }
          finish();
        });
        stream.end(options.stdin ?? undefined);
      });
    });
  }

  /** Sends a signal to the process group recorded in a pid file, over its own channel. */
  private signalGroup(pidFile: string, signal: "TERM" | "KILL"): void {
    if (this.lostReason !== undefined) return;
    // The group holds root processes (under sudo) when the login is not root: signal it as root too.
    const kill = this.user === "root" ? "kill" : "sudo -n kill";
    const script = `pid=$(cat ${pidFile} 2>/dev/null) && ${kill} -${signal} -- -"$pid" 2>/dev/null; true`;
    this.client.exec(script, (err: Error | undefined, stream: ClientChannel) => {
      if (err) return;
      stream.resume();
      stream.stderr.resume();
      stream.end();
    });
  }

  private lose(reason: string): void {
    if (this.lostReason !== undefined) return;
    this.lostReason = reason;
    this.lostAt = performance.now();
    for (const p of [...this.pending]) p.drop(reason);
  }

  private sftp(): Promise<SFTPWrapper> {
    this.sftpSession ??= new Promise((resolve, reject) => {
      this.client.sftp((err: Error | undefined, sftp: SFTPWrapper) => (err ? reject(err) : resolve(sftp)));
    });
    return this.sftpSession;
  }

  async upload(localPath: string, remotePath: string, mode?: number): Promise<void> {
    await this.reconnect();
    const dir = posix.dirname(remotePath);
    const mk = await this.run(`mkdir -p ${quote(dir)}`, { timeoutMs: 30_000 }, false);
    if (mk.exitCode !== 0)
      throw this.fileError("upload", localPath, remotePath, mk.transportError ?? mk.stderr.trim());
    const sftp = await this.sftp();
    await new Promise<void>((resolve, reject) => {
      sftp.fastPut(localPath, remotePath, {}, (err) => (err ? reject(err) : resolve()));
    }).catch((err: unknown) => {
      throw this.fileError("upload", localPath, remotePath, (err as Error).message);
    });
    if (mode !== undefined) {
      await new Promise<void>((resolve, reject) => {
        sftp.chmod(remotePath, mode, (err) => (err ? reject(err) : resolve()));
      }).catch((err: unknown) => {
        throw this.fileError("upload", localPath, remotePath, `chmod: ${(err as Error).message}`);
      });
    }
  }

  async download(remotePath: string, localPath: string): Promise<void> {
    await this.reconnect();
    const sftp = await this.sftp();
    // Same contract as the local transport: the local parent folder is created.
    await mkdir(dirname(localPath), { recursive: true });
    await new Promise<void>((resolve, reject) => {
      sftp.fastGet(remotePath, localPath, {}, (err) => (err ? reject(err) : resolve()));
    }).catch((err: unknown) => {
      throw this.fileError("download", remotePath, localPath, (err as Error).message);
    });
  }

  private fileError(what: string, from: string, to: string, detail: string): HarnessError {
    return new HarnessError(
      "SSH_FILE_TRANSFER_FAILED",
      `${what} ${from} -> ${to} on ${this.description} failed: ${detail}`,
      {
        hint: "check that the source exists and the target directory is writable",
        exitCode: ExitCode.infra,
      },
    );
  }

  /** Removes the pid directory and ends the connection. */
  async close(): Promise<void> {
    this.closing = true;
    await this.reconnecting;
    if (this.lostReason === undefined) {
      await this.run(`rm -rf ${quote(this.commandDir)}`, { timeoutMs: 10_000 }, false);
      const closed = new Promise<void>((resolve) => this.client.once("close", () => resolve()));
      this.client.end();
      await closed;
    }
  }
}
