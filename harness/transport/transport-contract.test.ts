import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalTransport } from "./local-transport.ts";
import { localSshdAvailable, startLocalSshd, type LocalSshd } from "./local-sshd.ts";
import { KnownHosts } from "./ssh-keys.ts";
import { connectSsh } from "./ssh-transport.ts";
import type { Transport } from "./transport.ts";

const haveSshd = await localSshdAvailable();
let dir = "";
let sshd: LocalSshd | undefined;
const transports: Record<string, Transport> = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "transport-contract-"));
  transports.local = new LocalTransport();
  if (haveSshd) {
    sshd = await startLocalSshd(join(dir, "sshd"));
    transports.ssh = await connectSsh({
      endpoint: sshd.endpoint,
      name: "local",
      knownHosts: new KnownHosts(join(dir, "known_hosts")),
      connectTimeoutMs: 10_000,
    });
  }
});
afterAll(async () => {
  await transports.ssh?.close();
  await sshd?.stop();
  await rm(dir, { recursive: true, force: true });
});

// The same file contract for every transport (the ssh one against a real sshd on 127.0.0.1, where "remote" paths
// are this host's): the runner downloads the join command into <runDir>/join/, which nothing creates beforehand.
describe.each(["local", ...(haveSshd ? ["ssh"] : [])])("Transport file contract: %s", (name) => {
  it("downloads into a local folder that does not exist yet", async () => {
    const t = transports[name];
    if (t === undefined) throw new Error(`no ${name} transport`);
    const source = join(dir, `${name}-source.txt`);
    await writeFile(source, "kubeadm join 10.200.0.11:6443 --token x\n");
    const target = join(dir, `${name}-run`, "join", "join-command");
    await t.download(source, target);
    expect(await readFile(target, "utf8")).toBe("kubeadm join 10.200.0.11:6443 --token x\n");
  });

  it("uploads into a remote folder that does not exist yet, with the mode asked for", async () => {
    const t = transports[name];
    if (t === undefined) throw new Error(`no ${name} transport`);
    const source = join(dir, `${name}-up.txt`);
    await writeFile(source, "secret\n");
    const target = join(dir, `${name}-remote`, "var", "lib", "harness", "join-command");
    await t.upload(source, target, 0o600);
    expect(await readFile(target, "utf8")).toBe("secret\n");
    expect((await stat(target)).mode & 0o777).toBe(0o600);
  });
});
