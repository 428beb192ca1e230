// Generates a throwaway ed25519 SSH host key pair with ssh-keygen, to hand to cloud-init and pin in the transport.
import { readFile, rm } from "node:fs/promises";
import { ExitCode, HarnessError } from "../../errors.ts";
import { outputTail, runTool } from "../run-tool.ts";
import type { HostKeyPair } from "./cloud-init-user-data.ts";

/** Writes `<path>` and `<path>.pub` with a new ed25519 key (no passphrase) and returns both halves. */
export async function generateHostKey(path: string, comment: string): Promise<HostKeyPair> {
  await rm(path, { force: true });
  await rm(`${path}.pub`, { force: true });
  const r = await runTool("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path], {
    timeoutMs: 30_000,
  });
  if (r.missing !== undefined || r.exitCode !== 0) {
    throw new HarnessError(
      "HOST_KEY_GENERATION_FAILED",
      `could not generate an SSH host key at ${path}: ${r.missing ?? outputTail(r.stderr)}`,
      {
        hint: "the harness needs OpenSSH's ssh-keygen on the host: `apt-get install openssh-client`",
        exitCode: ExitCode.infra,
      },
    );
  }
  return {
    privateKey: await readFile(path, "utf8"),
    publicKey: (await readFile(`${path}.pub`, "utf8")).trim(),
  };
}
