// Per-run SSH material: an ephemeral ed25519 client key pair and the run's known_hosts file (pinned or first-contact keys).
import { appendFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { execa } from "execa";
import { HarnessError } from "../errors.ts";
import type { RunKeyPair } from "../providers/provider.ts";

/** Generates a fresh ed25519 key pair without a passphrase in `dir` (id_ed25519, id_ed25519.pub). */
export async function generateRunKeyPair(dir: string, comment: string): Promise<RunKeyPair> {
  await mkdir(dir, { recursive: true });
  const privateKeyPath = join(dir, "id_ed25519");
  const result = await execa(
    "ssh-keygen",
    ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", privateKeyPath],
    {
      reject: false,
      stdin: "ignore",
    },
  );
  if (result.failed) {
    throw new HarnessError(
      "SSH_KEYGEN_FAILED",
      `ssh-keygen could not create a key in ${dir}: ${result.stderr || result.shortMessage}`,
      {
        hint: "install openssh-client (apt-get install openssh-client) and check that the directory is writable",
      },
    );
  }
  const publicKey = (await readFile(`${privateKeyPath}.pub`, "utf8")).trim();
  return { privateKeyPath, publicKey };
}

/** A public key as `<type> <base64>`, without the comment. */
export function normalizePublicKey(key: string): string {
  const [type, blob] = key.trim().split(/\s+/);
  if (type === undefined || blob === undefined || !/^[A-Za-z0-9+/=]+$/.test(blob)) {
    throw new HarnessError("SSH_KEY_INVALID", `not an OpenSSH public key: ${key.slice(0, 60)}`, {
      hint: "a public key line looks like `ssh-ed25519 AAAA... comment`",
    });
  }
  return `${type} ${blob}`;
}

/** The host pattern OpenSSH uses in known_hosts for a host and port. */
export function knownHostsPattern(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** The run's known_hosts file: pinned keys written up front, unknown hosts recorded on first contact. */
export class KnownHosts {
  constructor(readonly path: string) {}

  /** Pins a host key (replacing whatever was recorded for that host and port). */
  async pin(host: string, port: number, publicKey: string): Promise<void> {
    const pattern = knownHostsPattern(host, port);
    const kept = (await this.lines()).filter((l) => l.split(" ")[0] !== pattern);
    await mkdir(dirname(this.path), { recursive: true });
    await writeFile(this.path, [...kept, `${pattern} ${normalizePublicKey(publicKey)}`].join("\n") + "\n");
  }

  /** The keys known for a host and port (`<type> <base64>`). */
  async lookup(host: string, port: number): Promise<string[]> {
    const pattern = knownHostsPattern(host, port);
    return (await this.lines())
      .map((l) => l.split(" "))
      .filter((f) => f[0] === pattern && f.length >= 3)
      .map((f) => `${f[1]} ${f[2]}`);
  }

  /**
   * Checks a key a server presented: true when it matches a known key, or when none is known yet
   * (then it is recorded: trust on first contact); false on a mismatch.
   */
  async verify(host: string, port: number, presented: string): Promise<boolean> {
    const known = await this.lookup(host, port);
    const key = normalizePublicKey(presented);
    if (known.length === 0) {
      await mkdir(dirname(this.path), { recursive: true });
      await appendFile(this.path, `${knownHostsPattern(host, port)} ${key}\n`);
      return true;
    }
    return known.includes(key);
  }

  private async lines(): Promise<string[]> {
    try {
      return (await readFile(this.path, "utf8"))
        .split("\n")
        .filter((l) => l.trim() !== "" && !l.startsWith("#"));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw err;
    }
  }
}
