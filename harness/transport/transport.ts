// The one command seam: every command on a machine (or the host) goes through a Transport.

/** Options of one command. */
export interface ExecOptions {
  /** Kill the command (remote process included) after this long. */
  timeoutMs: number;
  /** Called with each complete output line as it arrives. */
  onLine?: (stream: "stdout" | "stderr", line: string) => void;
  /** Aborts the command (e.g. on SIGINT). */
  signal?: AbortSignal;
  /** Data written to the command's stdin. */
  stdin?: string;
}

/** What a finished command looks like; the same shape whether it succeeded, failed or timed out. */
export interface CommandResult {
  command: string;
  /** null when the command was killed by a signal or never reported one (dropped connection). */
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** Host clock, ms since the epoch. */
  startedAt: number;
  durationMs: number;
  timedOut: boolean;
  /** Set when the transport itself failed (connection dropped, refused): an infrastructure failure. */
  transportError?: string;
}

/** Runs commands and moves files on one machine. */
export interface Transport {
  /** Where the transport leads, for messages: `root@127.0.0.1:2222 (node1)`. */
  readonly description: string;
  exec(command: string, options: ExecOptions): Promise<CommandResult>;
  upload(localPath: string, remotePath: string, mode?: number): Promise<void>;
  /** Copies a file from the machine to the host, creating the local parent folder. */
  download(remotePath: string, localPath: string): Promise<void>;
  close(): Promise<void>;
}
