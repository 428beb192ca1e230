// Test-only transport into a LocalDirProvider machine: host processes in the machine's directory, file paths
// mapped under it, and a way to simulate a dropped connection (the `.drop-connection` marker file).
import { existsSync } from "node:fs";
import path from "node:path";
import { LocalTransport } from "../../transport/local-transport.ts";
import type { CommandResult, ExecOptions, Transport } from "../../transport/transport.ts";

/** Name of the file whose appearance in a machine directory drops the connection mid-command. */
export const dropMarker = ".drop-connection";

/** How often a running command checks for the drop marker, ms. */
const dropPollMs = 50;

/** Runs commands with the machine directory as cwd and `$MACHINE_DIR` set; `/x` on the "node" is `<dir>/x`. */
export class LocalDirTransport implements Transport {
  readonly description: string;
  private readonly local: LocalTransport;

  constructor(
    private readonly dir: string,
    node: string,
  ) {
    this.description = `local directory ${dir} (${node})`;
    this.local = new LocalTransport({
      cwd: dir,
      env: { ...(process.env as Record<string, string>), MACHINE_DIR: dir, HARNESS_NODE: node },
    });
  }

  /** The host path of a node path. */
  hostPath(remotePath: string): string {
    return path.join(this.dir, remotePath);
  }

  async exec(command: string, options: ExecOptions): Promise<CommandResult> {
    const marker = path.join(this.dir, dropMarker);
    const controller = new AbortController();
    const relay = () => controller.abort();
    options.signal?.addEventListener("abort", relay, { once: true });
    if (options.signal?.aborted) controller.abort();
    let dropped = false;
    const poll = setInterval(() => {
      if (!dropped && existsSync(marker)) {
        dropped = true;
        controller.abort();
      }
    }, dropPollMs);
    try {
      const result = await this.local.exec(command, { ...options, signal: controller.signal });
      return dropped || existsSync(marker)
        ? {
            ...result,
            exitCode: null,
            transportError: `connection to ${this.description} dropped (${dropMarker} appeared)`,
          }
        : result;
    } finally {
      clearInterval(poll);
      options.signal?.removeEventListener("abort", relay);
    }
  }

  async upload(localPath: string, remotePath: string, mode?: number): Promise<void> {
    await this.local.upload(localPath, this.hostPath(remotePath), mode);
  }

  async download(remotePath: string, localPath: string): Promise<void> {
    await this.local.download(this.hostPath(remotePath), localPath);
  }

  async close(): Promise<void> {
    await this.local.close();
  }
}
