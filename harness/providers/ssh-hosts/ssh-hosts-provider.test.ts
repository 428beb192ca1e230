import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa, type ResultPromise } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MachinePlan } from "../../plan/plan.ts";
import type { ProviderContext } from "../provider.ts";
import { createSshHostsProvider } from "./ssh-hosts-provider.ts";

const sshd = "/usr/sbin/sshd";
const runId = "20261123-184212-3f9a1c";

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

async function waitForPort(port: number, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: "127.0.0.1", port }, () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd did not listen on ${port}`);
}

const plan = (name: string, privateIp = "10.10.0.11"): MachinePlan => ({
  name,
  role: "standalone",
  cpus: 1,
  memoryMiB: 1024,
  diskGiB: 10,
  image: "debian-13",
  imagePackages: [],
  imagePayload: null,
  kernelArgs: [],
  outbound: "debian-mirror",
  privateIp,
});

describe.skipIf(!existsSync(sshd))("ssh-hosts provider (real sshd on 127.0.0.1, throwaway keys)", () => {
  let dir = "";
  let state = "";
  let port = 0;
  let daemon: ResultPromise | undefined;
  let hostPublicKey = "";
  let clientKey = "";
  const ctx = (): ProviderContext => ({
    runId,
    runDir: join(dir, "run"),
    keyPair: { privateKeyPath: "/unused/run-key", publicKey: "ssh-ed25519 unused" },
  });
  /** Writes a hosts file for the test sshd and returns its path. */
  const hostsFile = async (
    name: string,
    extra: { host?: string[]; reset?: string[]; port?: number } = {},
  ): Promise<string> => {
    const path = join(dir, `${name}.yaml`);
    await writeFile(
      path,
      [
        "hosts:",
        "  - name: cp",
        "    address: 127.0.0.1",
        `    port: ${extra.port ?? port}`,
        "    user: root",
        `    keyPath: ${clientKey}`,
        "    privateIp: 127.0.0.1",
        ...(extra.host ?? []).map((l) => `    ${l}`),
        ...(extra.reset ? ["reset:", ...extra.reset.map((l) => `  ${l}`)] : []),
      ].join("\n") + "\n",
    );
    return path;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "ssh-hosts-"));
    state = join(dir, "state");
    clientKey = join(dir, "client_ed25519");
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, "host_ed25519")]);
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", clientKey]);
    hostPublicKey = (await readFile(join(dir, "host_ed25519.pub"), "utf8")).split(" ").slice(0, 2).join(" ");
    await writeFile(join(dir, "authorized_keys"), await readFile(`${clientKey}.pub`, "utf8"));
    port = await freePort();
    await writeFile(
      join(dir, "sshd_config"),
      [
        `Port ${port}`,
        "ListenAddress 127.0.0.1",
        `HostKey ${join(dir, "host_ed25519")}`,
        `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
        "PidFile none",
        "StrictModes no",
        "UsePAM no",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "PermitRootLogin prohibit-password",
        `SetEnv XDG_STATE_HOME=${state}`,
        // Skips the post-quantum key exchange (costly on a shared CPU): the test is about the provider, not the crypto.
        "KexAlgorithms curve25519-sha256",
      ].join("\n") + "\n",
    );
    await mkdir("/run/sshd", { recursive: true });
    daemon = execa(sshd, ["-D", "-e", "-f", join(dir, "sshd_config")], { reject: false });
    await waitForPort(port, 10_000);
  });
  afterAll(async () => {
    daemon?.kill("SIGTERM");
    await daemon;
    await rm(dir, { recursive: true, force: true });
  });

  it("detects a usable hosts file", async () => {
    const provider = createSshHostsProvider({ hostsFile: await hostsFile("detect") });
    expect(await provider.detect()).toEqual({
      available: true,
      reason: `1 host(s) in ${join(dir, "detect.yaml")} (cp); reset on create: no, on destroy: no`,
    });
  });

  it("creates = reaches, claims and (opted in) resets the host; records its host key on first contact", async () => {
    const provider = createSshHostsProvider({
      hostsFile: await hostsFile("create", {
        reset: ['create: echo "$(id -un)" > "$XDG_STATE_HOME/create-reset-ran"'],
      }),
    });
    const events: string[] = [];
    const [machine] = await provider.create([plan("cp")], {
      ...ctx(),
      report: (e) => events.push(`${e.machine}:${e.state}`),
    });
    expect(machine).toEqual({
      name: "cp",
      id: `h-${runId}-cp`,
      runId,
      privateIp: "127.0.0.1",
      ssh: { host: "127.0.0.1", port, user: "root", privateKeyPath: clientKey, hostKey: hostPublicKey },
    });
    expect(await readFile(join(state, "k8s-node-harness", "run-id"), "utf8")).toBe(`${runId}\n`);
    expect(await readFile(join(state, "create-reset-ran"), "utf8")).toBe("root\n");
    expect(events).toEqual(["cp:connecting", "cp:address", "cp:resetting"]);
    expect(await provider.list(runId)).toEqual([{ id: `h-${runId}-cp`, runId, state: "claimed" }]);
    expect(await provider.list("20261124-000000-bbbbbb")).toEqual([]);
    if (!machine) throw new Error("no machine");
    const logs = await provider.collectLogs(machine, join(dir, "logs"));
    expect(logs.map((l) => l.split("/").pop())).toEqual([
      "ssh-hosts-cp-claim.log",
      "ssh-hosts-cp-reset-create.log",
    ]);
  });

  it("destroys nothing without the opt-in: only the claim is released", async () => {
    const provider = createSshHostsProvider({ hostsFile: await hostsFile("no-opt-in") });
    await writeFile(join(state, "precious"), "keep me");
    await provider.create([plan("cp")], ctx());
    await provider.destroy(runId);
    expect(await provider.list()).toEqual([]);
    expect(await readFile(join(state, "precious"), "utf8")).toBe("keep me");
  });

  it("runs the opted-in destroy reset only for the run that holds the host", async () => {
    const provider = createSshHostsProvider({
      hostsFile: await hostsFile("opt-in", { reset: ['destroy: rm -f "$XDG_STATE_HOME/precious"'] }),
    });
    await writeFile(join(state, "precious"), "reset me");
    await provider.create([plan("cp")], ctx());
    await provider.destroy("20261124-000000-bbbbbb");
    expect(existsSync(join(state, "precious"))).toBe(true);
    await provider.destroy(runId);
    expect(existsSync(join(state, "precious"))).toBe(false);
    expect(await provider.list()).toEqual([]);
  });

  it("keeps the claim and says so when the opted-in destroy reset fails", async () => {
    const provider = createSshHostsProvider({
      hostsFile: await hostsFile("failing-reset", { reset: ["destroy: echo nope >&2; exit 4"] }),
    });
    await provider.create([plan("cp")], ctx());
    await expect(provider.destroy(runId)).rejects.toMatchObject({
      code: "SSH_HOST_RESET_FAILED",
      message: "the opt-in destroy reset failed on cp (root@127.0.0.1) with exit code 4: nope",
    });
    expect(await provider.list(runId)).toHaveLength(1);
  });

  it.each([
    {
      name: "a pinned host key that does not match",
      file: {
        host: ["hostKey: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKiQ1zcy7xxoWaXUYr6fBv7HSRgQyU1C16eCDgc1Y0Yx"],
      },
      code: "SSH_HOST_KEY_MISMATCH",
    },
    { name: "a closed port", file: { port: 1 }, code: "SSH_HOST_UNREACHABLE" },
  ])("refuses $name", async ({ name, file, code }) => {
    const provider = createSshHostsProvider({ hostsFile: await hostsFile(name.replaceAll(" ", "-"), file) });
    await expect(provider.create([plan("cp")], ctx())).rejects.toMatchObject({
      code,
      message: expect.stringContaining("cannot reach cp at root@127.0.0.1:") as unknown,
    });
  });

  it("refuses a private address the host does not have", async () => {
    const path = await hostsFile("wrong-ip");
    await writeFile(
      path,
      (await readFile(path, "utf8")).replace("privateIp: 127.0.0.1", "privateIp: 192.0.2.99"),
    );
    await expect(
      createSshHostsProvider({ hostsFile: path }).create([plan("cp")], ctx()),
    ).rejects.toMatchObject({
      code: "SSH_HOST_PRIVATE_IP_MISSING",
      message: expect.stringContaining("cp (127.0.0.1) has no address 192.0.2.99; it has ") as unknown,
    });
  });

  it("refuses a node the hosts file does not list, before connecting", async () => {
    await expect(
      createSshHostsProvider({ hostsFile: await hostsFile("missing") }).create([plan("worker")], ctx()),
    ).rejects.toMatchObject({
      code: "SSH_HOST_MISSING",
      hint: `add a host named worker to ${join(dir, "missing.yaml")} (it lists cp)`,
    });
  });
});
