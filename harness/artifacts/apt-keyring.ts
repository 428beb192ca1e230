// The keyring that verifies an apt repository's InRelease: a host keyring file, or a key URL fetched once and dearmored.
import { access, mkdir, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { ExitCode, HarnessError } from "../errors.ts";
import { pathForUrl } from "./cache-dir.ts";
import { downloadToPart, type DownloadOptions } from "./download.ts";

/** A private GNUPGHOME under the cache, so gpg and gpgv never touch the user's ~/.gnupg. */
export async function gnupgHome(root: string): Promise<string> {
  const home = path.join(root, "gnupg");
  await mkdir(home, { recursive: true, mode: 0o700 });
  return home;
}

/**
 * Path of a binary keyring for `key`: the host path itself (e.g. /usr/share/keyrings/debian-archive-keyring.gpg),
 * or, for a URL, the key downloaded once into `<root>/keys/` and dearmored with `gpg --dearmor` when ASCII-armored.
 * A key URL is trusted on first use: delete the cached file to fetch it again.
 */
export async function keyringFor(key: string, root: string, opts: DownloadOptions): Promise<string> {
  if (!/^https?:\/\//.test(key)) {
    try {
      await access(key);
      return key;
    } catch {
      throw new HarnessError("APT_KEYRING_MISSING", `the keyring ${key} does not exist on this host`, {
        hint: "install the distribution's keyring package (debian-archive-keyring, ubuntu-keyring) or point the repository's key at a URL",
        exitCode: ExitCode.infra,
      });
    }
  }
  const keyring = `${pathForUrl(path.join(root, "keys"), key)}.gpg`;
  try {
    await access(keyring);
    return keyring;
  } catch {
    // Not cached yet: fetched below.
  }
  await mkdir(path.dirname(keyring), { recursive: true });
  const part = `${keyring}.download`;
  await rm(part, { force: true });
  await downloadToPart(key, part, opts);
  const head = (await readFile(part, "latin1")).slice(0, 100);
  if (head.includes("-----BEGIN PGP PUBLIC KEY BLOCK-----")) {
    const home = await gnupgHome(root);
    await execa("gpg", ["--batch", "--yes", "--dearmor", "--output", `${keyring}.tmp`, part], {
      env: { GNUPGHOME: home },
    });
    await rename(`${keyring}.tmp`, keyring);
    await rm(part, { force: true });
  } else {
    await rename(part, keyring);
  }
  return keyring;
}

/** The text an InRelease file signs, after `gpgv` verified its signature against `keyring`; throws when it did not. */
export async function verifiedInRelease(
  inRelease: string,
  keyring: string,
  root: string,
  url: string,
): Promise<string> {
  const home = await gnupgHome(root);
  const result = await execa("gpgv", ["--keyring", path.resolve(keyring), "--output", "-", inRelease], {
    env: { GNUPGHOME: home },
    reject: false,
    encoding: "utf8",
  });
  if (result.exitCode !== 0) {
    const why = result.stderr.trim().split("\n").slice(-4).join(" / ");
    throw new HarnessError(
      "APT_SIGNATURE_INVALID",
      `the signature of ${url} does not verify with ${keyring}: ${why}`,
      {
        hint: "the repository or a proxy serves an index not signed by the expected key; check the repository's key and URL, and never skip this check",
        exitCode: ExitCode.infra,
      },
    );
  }
  return result.stdout;
}
