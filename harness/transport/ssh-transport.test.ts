import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freeLoopbackPort } from "./free-port.ts";
import { localSshdAvailable, startLocalSshd, type LocalSshd } from "./local-sshd.ts";
import { KnownHosts, generateRunKeyPair } from "./ssh-keys.ts";
import {
  connectSsh,
  maxCommandChannels,
  wireCommand,
  type ConnectRetry,
  type Reconnect,
  type SshTransport,
} from "./ssh-transport.ts";

const haveSshd = await localSshdAvailable();

describe("wireCommand", () => {
  it.each([
    { user: "root", wire: "echo $$ >/run/harness-cmd/x/1\nsystemctl restart containerd" },
    {
      user: "vagrant",
      wire: "echo $$ >/run/harness-cmd/x/1\nexec sudo -n -- bash -c 'systemctl restart containerd'",
    },
  ])("records the process group and runs as root for $user", ({ user, wire }) => {
    expect(wireCommand("systemctl restart containerd", "/run/harness-cmd/x/1", user)).toBe(wire);
  });
});

/** A local sshd and one transport to it for a describe block: started before its tests, stopped after them. */
function localSshdSession(prefix: string, options: { maxSessions?: number } = {}) {
  let dir = "";
  let sshd: LocalSshd | undefined;
  let transport: SshTransport | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
    sshd = await startLocalSshd(join(dir, "sshd"), options);
    transport = await connectSsh({
      endpoint: sshd.endpoint,
      name: "local",
      knownHosts: new KnownHosts(join(dir, "known_hosts")),
      connectTimeoutMs: 10_000,
    });
  });
  afterAll(async () => {
    await transport?.close();
    await sshd?.stop();
    await rm(dir, { recursive: true, force: true });
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the local sshd session has not started");
    return value;
  };
  return {
    get dir() {
      return dir;
    },
    get sshd() {
      return started(sshd);
    },
    get transport() {
      return started(transport);
    },
  };
}

describe.skipIf(!haveSshd)("SshTransport against a local OpenSSH server (real sshd on 127.0.0.1)", () => {
  const s = localSshdSession("ssh-transport-");

  it.each([
    { name: "success", command: "echo hi", exitCode: 0, stdout: "hi\n", stderr: "" },
    { name: "non-zero exit", command: "echo oops >&2; exit 7", exitCode: 7, stdout: "", stderr: "oops\n" },
    {
      name: "multi-line script",
      command: "set -e\nx=4\necho $((x*2))",
      exitCode: 0,
      stdout: "8\n",
      stderr: "",
    },
  ])("runs a command: $name", async ({ command, exitCode, stdout, stderr }) => {
    const r = await s.transport.exec(command, { timeoutMs: 10_000 });
    expect(r).toMatchObject({ command, exitCode, stdout, stderr, signal: null, timedOut: false });
    expect(r.transportError).toBeUndefined();
  });

  it("streams lines as they arrive", async () => {
    const lines: string[] = [];
    const r = await s.transport.exec("echo one; echo two >&2; echo three", {
      timeoutMs: 10_000,
      onLine: (s, l) => lines.push(`${s}:${l}`),
    });
    expect(r.exitCode).toBe(0);
    expect(lines).toEqual(expect.arrayContaining(["stdout:one", "stderr:two", "stdout:three"]));
  });

  it("passes stdin and closes it", async () => {
    expect((await s.transport.exec("wc -l", { timeoutMs: 10_000, stdin: "a\nb\n" })).stdout.trim()).toBe("2");
    expect((await s.transport.exec("cat", { timeoutMs: 10_000 })).stdout).toBe("");
  });

  it("reports the signal that killed the command", async () => {
    const r = await s.transport.exec("kill -KILL $$", { timeoutMs: 10_000 });
    expect(r).toMatchObject({ exitCode: null, signal: "SIGKILL" });
  });

  it("kills the remote process tree on timeout", async () => {
    const marker = join(s.dir, "survivor");
    const r = await s.transport.exec(`(sleep 3; touch ${marker}) & sleep 60`, { timeoutMs: 500 });
    expect(r.timedOut).toBe(true);
    expect(r.signal).toBe("SIGTERM");
    expect(r.transportError).toBeUndefined();
    await new Promise((res) => setTimeout(res, 3_500));
    await expect(stat(marker)).rejects.toThrow();
  });

  it("kills the remote command when aborted", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const r = await s.transport.exec("sleep 60", { timeoutMs: 60_000, signal: controller.signal });
    expect(r).toMatchObject({ timedOut: false, signal: "SIGTERM" });
  });

  it("runs commands concurrently over the one connection", async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => s.transport.exec(`sleep 0.3; echo ${i}`, { timeoutMs: 10_000 })),
    );
    expect(results.map((r) => r.stdout.trim())).toEqual(["0", "1", "2", "3", "4", "5", "6", "7"]);
  });

  it("uploads with a mode and downloads over SFTP", async () => {
    const src = join(s.dir, "payload.bin");
    await writeFile(src, Buffer.alloc(300_000, 7));
    const remote = join(s.dir, "remote", "nested", "payload.bin");
    await s.transport.upload(src, remote, 0o640);
    expect((await stat(remote)).mode & 0o777).toBe(0o640);
    await s.transport.download(remote, join(s.dir, "back.bin"));
    expect((await readFile(join(s.dir, "back.bin"))).equals(await readFile(src))).toBe(true);
  });

  it("turns a dropped connection mid-command into a transport error, never an exit code, then opens it again for the next command", async () => {
    const reconnects: Reconnect[] = [];
    const other = await connectSsh({
      endpoint: s.sshd.endpoint,
      name: "dropping",
      knownHosts: new KnownHosts(join(s.dir, "known_hosts")),
      connectTimeoutMs: 10_000,
      onReconnect: (r) => reconnects.push(r),
    });
    // Kill the sshd session process serving this connection (the parent of the command's shell).
    const r = await other.exec("sleep 0.2; kill -KILL $PPID; sleep 30", { timeoutMs: 20_000 });
    expect(r.exitCode).toBeNull();
    expect(r.transportError).toMatch(/dropping/);
    const [after, beside] = await Promise.all([
      other.exec("echo again", { timeoutMs: 10_000 }),
      other.exec("echo beside", { timeoutMs: 10_000 }),
    ]);
    expect(after).toMatchObject({ exitCode: 0, stdout: "again\n" });
    expect(beside).toMatchObject({ exitCode: 0, stdout: "beside\n" });
    expect(reconnects).toHaveLength(1);
    expect(reconnects[0]?.machine).toBe("dropping");
    expect(reconnects[0]?.reason).toMatch(/connection/);
    await other.upload(join(s.dir, "known_hosts"), "/tmp/harness-reconnect-upload-test");
    await other.close();
  });

  it("gives a machine up when the one reconnect fails: later commands fail at once with both reasons", async () => {
    const dir = join(s.dir, "second-sshd");
    const server = await startLocalSshd(join(dir, "sshd"));
    const reconnects: Reconnect[] = [];
    const retries: ConnectRetry[] = [];
    const other = await connectSsh({
      endpoint: server.endpoint,
      name: "gone",
      knownHosts: new KnownHosts(join(dir, "known_hosts")),
      connectTimeoutMs: 10_000,
      reconnectTimeoutMs: 1_500,
      onRetry: (r) => retries.push(r),
      onReconnect: (r) => reconnects.push(r),
    });
    // The listening sshd goes first (stop() would wait for the open session's end), then the session.
    process.kill(Number(await readFile(join(dir, "sshd", "sshd.pid"), "utf8")), "SIGTERM");
    const r = await other.exec("sleep 0.2; kill -KILL $PPID; sleep 30", { timeoutMs: 20_000 });
    expect(r.transportError).toMatch(/gone/);
    const next = await other.exec("true", { timeoutMs: 10_000 });
    expect(next.exitCode).toBeNull();
    expect(next.transportError).toMatch(/opening it again failed: could not connect/);
    const attempts = retries.length;
    expect(attempts).toBeGreaterThan(0);
    const last = await other.exec("true", { timeoutMs: 10_000 });
    expect(last.transportError).toBe(next.transportError);
    expect(retries).toHaveLength(attempts);
    expect(reconnects).toEqual([]);
    await other.close();
    await server.stop();
  });

  it("refuses a host key that does not match the pinned one, without retrying", async () => {
    const wrong = await generateRunKeyPair(join(s.dir, "wrong"), "wrong");
    const retries: ConnectRetry[] = [];
    await expect(
      connectSsh({
        endpoint: { ...s.sshd.endpoint, hostKey: wrong.publicKey },
        name: "pinned",
        knownHosts: new KnownHosts(join(s.dir, "pinned_known_hosts")),
        connectTimeoutMs: 10_000,
        onRetry: (r) => retries.push(r),
      }),
    ).rejects.toThrow(/does not match/);
    expect(retries).toEqual([]);
  });

  it("retries while nothing listens, reports each retry, and gives up with a hint", async () => {
    const port = await freeLoopbackPort();
    const retries: ConnectRetry[] = [];
    await expect(
      connectSsh({
        endpoint: { ...s.sshd.endpoint, port },
        name: "absent",
        knownHosts: new KnownHosts(join(s.dir, "absent_known_hosts")),
        connectTimeoutMs: 1_500,
        onRetry: (r) => retries.push(r),
      }),
    ).rejects.toThrow(/could not connect to .*absent.* within 2 s/);
    expect(retries.length).toBeGreaterThanOrEqual(2);
    expect(retries[0]).toMatchObject({ machine: "absent", attempt: 1 });
    expect(retries[0]?.error).toMatch(/ECONNREFUSED/);
  });
});

describe.skipIf(!haveSshd)(
  "SshTransport against sshd's default MaxSessions 10 (real sshd on 127.0.0.1)",
  () => {
    const s = localSshdSession("ssh-sessions-", { maxSessions: 10 });

    it(`runs 24 commands at once and an SFTP upload beside them: at most ${maxCommandChannels} channels are open, the rest wait`, async () => {
      await writeFile(join(s.dir, "payload"), "x");
      const running = Promise.all(
        Array.from({ length: 24 }, (_, i) => s.transport.exec(`sleep 0.3; echo ${i}`, { timeoutMs: 30_000 })),
      );
      await s.transport.upload(join(s.dir, "payload"), join(s.dir, "uploaded"), 0o600);
      const results = await running;
      expect(results.map((r) => r.transportError ?? r.stdout.trim())).toEqual(
        Array.from({ length: 24 }, (_, i) => String(i)),
      );
    });

    it("ends a command that is still waiting for a channel when its run is aborted, without running it", async () => {
      const controller = new AbortController();
      const busy = Array.from({ length: maxCommandChannels }, () =>
        s.transport.exec("sleep 1", { timeoutMs: 30_000 }),
      );
      const waiting = s.transport.exec(`touch ${join(s.dir, "ran")}`, {
        timeoutMs: 30_000,
        signal: controller.signal,
      });
      controller.abort();
      const r = await waiting;
      await Promise.all(busy);
      expect(r.transportError).toContain("aborted before a channel was free");
      expect(existsSync(join(s.dir, "ran"))).toBe(false);
    });
  },
);
