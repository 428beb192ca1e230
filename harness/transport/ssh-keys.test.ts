import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KnownHosts, generateRunKeyPair, knownHostsPattern, normalizePublicKey } from "./ssh-keys.ts";

const keyA = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
const keyB = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";

describe("ssh keys", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "ssh-keys-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("generates an ed25519 key pair with ssh-keygen (real process)", async () => {
    const pair = await generateRunKeyPair(join(dir, "keys"), "harness-run-1");
    expect(pair.publicKey).toMatch(/^ssh-ed25519 AAAA\S+ harness-run-1$/);
    expect((await stat(pair.privateKeyPath)).mode & 0o077).toBe(0);
    expect(await readFile(pair.privateKeyPath, "utf8")).toContain("BEGIN OPENSSH PRIVATE KEY");
  });

  it.each([
    { host: "127.0.0.1", port: 2222, pattern: "[127.0.0.1]:2222" },
    { host: "example.org", port: 22, pattern: "example.org" },
  ])("known_hosts pattern of $host:$port", ({ host, port, pattern }) => {
    expect(knownHostsPattern(host, port)).toBe(pattern);
  });

  it.each([
    { input: `${keyA} root@guest`, output: keyA },
    { input: `  ${keyA}\n`, output: keyA },
  ])("normalizes $input", ({ input, output }) => {
    expect(normalizePublicKey(input)).toBe(output);
  });

  it("rejects text that is not a public key", () => {
    expect(() => normalizePublicKey("hello")).toThrow(/not an OpenSSH public key/);
  });

  it.each([
    { name: "pinned key matches", pinned: keyA, presented: keyA, ok: true },
    { name: "pinned key mismatch is refused", pinned: keyA, presented: keyB, ok: false },
    { name: "unknown host is recorded on first contact", pinned: undefined, presented: keyB, ok: true },
  ])("verify: $name", async ({ pinned, presented, ok }) => {
    const known = new KnownHosts(join(dir, `${Math.random()}`, "known_hosts"));
    if (pinned) await known.pin("127.0.0.1", 2200, pinned);
    expect(await known.verify("127.0.0.1", 2200, presented)).toBe(ok);
    expect(await known.lookup("127.0.0.1", 2200)).toEqual([pinned ?? presented]);
    // A second contact with another key is refused once a key is recorded.
    expect(await known.verify("127.0.0.1", 2200, pinned === keyA ? keyB : keyA)).toBe(false);
  });

  it("pinning replaces an earlier key for the same endpoint only", async () => {
    const known = new KnownHosts(join(dir, "pin", "known_hosts"));
    await known.pin("127.0.0.1", 1, keyA);
    await known.pin("127.0.0.1", 2, keyA);
    await known.pin("127.0.0.1", 1, keyB);
    expect(await known.lookup("127.0.0.1", 1)).toEqual([keyB]);
    expect(await known.lookup("127.0.0.1", 2)).toEqual([keyA]);
  });
});
