// VM tier: boots real Debian 13 guests with the qemu provider (builds the image first if the cache lacks it).
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { execa } from "execa";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MachinePlan } from "../../plan/plan.ts";
import { newRunId } from "../../runner/run-id.ts";
import { isLoopbackPortOpen } from "../../transport/free-port.ts";
import { KnownHosts, generateRunKeyPair } from "../../transport/ssh-keys.ts";
import { connectSsh, type SshTransport } from "../../transport/ssh-transport.ts";
import type { Machine, ProviderContext } from "../provider.ts";
import { kvmUsable, readKvmFacts } from "./accelerator.ts";
import { createQemuProvider, type QemuProvider } from "./qemu-provider.ts";
import { findQemuProcesses, machineStateDir } from "./run-state.ts";

const repo = resolve(import.meta.dirname, "../../..");

function node(name: string, index: number, outbound: MachinePlan["outbound"] = "debian-mirror"): MachinePlan {
  return {
    name,
    role: "standalone",
    cpus: 2,
    memoryMiB: 1024,
    diskGiB: 4,
    image: "debian-13",
    imagePackages: [],
    imagePayload: null,
    kernelArgs: [],
    outbound,
    privateIp: `10.200.0.${11 + index}`,
  };
}

async function processesOf(runId: string): Promise<number[]> {
  return (await findQemuProcesses()).filter((p) => p.id.includes(runId)).map((p) => p.pid);
}

describe("qemu provider: two Debian 13 guests under TCG (beta with outbound none)", () => {
  const runId = newRunId(Date.now());
  let dir = "";
  let stateRoot = "";
  let provider: QemuProvider;
  let machines: Machine[] = [];
  const transports: SshTransport[] = [];
  const events: { machine: string; state: string; detail?: string }[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "qemu-vm-"));
    stateRoot = join(dir, "state");
    provider = createQemuProvider({ accel: "tcg", stateRoot });
    const ctx: ProviderContext = {
      runId,
      runDir: join(dir, "run"),
      keyPair: await generateRunKeyPair(join(dir, "keys"), `harness-${runId}`),
      report: (e) => events.push(e),
    };
    machines = await provider.create([node("alpha", 0), node("beta", 1, "none")], ctx);
    for (const m of machines) {
      transports.push(
        await connectSsh({
          endpoint: m.ssh,
          name: m.name,
          knownHosts: new KnownHosts(join(ctx.runDir, "known_hosts")),
          connectTimeoutMs: 30_000,
        }),
      );
    }
  });
  afterAll(async () => {
    for (const t of transports) await t.close();
    await provider?.destroy(runId);
    await rm(dir, { recursive: true, force: true });
  });

  it("reports the accelerator and each machine's readiness", () => {
    expect(events.find((e) => e.state === "accelerator")?.detail).toMatch(/^tcg/);
    expect(
      events
        .filter((e) => e.state === "ready")
        .map((e) => e.machine)
        .sort(),
    ).toEqual(["alpha", "beta"]);
  });

  it("runs commands over the kept SSH connection: output, exit code, streamed lines", async () => {
    const [alpha] = transports;
    const lines: string[] = [];
    const r = await alpha!.exec("hostname; uname -r; echo warn >&2; exit 4", {
      timeoutMs: 30_000,
      onLine: (s, l) => lines.push(`${s}:${l}`),
    });
    expect(r.exitCode).toBe(4);
    expect(r.stdout).toMatch(/^alpha\n6\.\d+/);
    expect(lines).toContain("stderr:warn");
    expect(
      (await alpha!.exec("cat /sys/module/apparmor/parameters/enabled", { timeoutMs: 30_000 })).stdout.trim(),
    ).toBe("Y");
  });

  it("kills a timed-out command on the guest, not just the channel", async () => {
    const [alpha] = transports;
    const r = await alpha!.exec("sleep 300 & sleep 301", { timeoutMs: 2_000 });
    expect(r.timedOut).toBe(true);
    const left = await alpha!.exec("pgrep -x sleep || true", { timeoutMs: 30_000 });
    expect(left.stdout.trim()).toBe("");
  });

  it("uploads and downloads a file", async () => {
    const [alpha] = transports;
    const local = join(dir, "payload.txt");
    await writeFile(local, "harness payload\n".repeat(1000));
    await alpha!.upload(local, "/opt/harness/payload.txt", 0o600);
    const check = await alpha!.exec(
      "stat -c %a /opt/harness/payload.txt; sha256sum /opt/harness/payload.txt",
      { timeoutMs: 30_000 },
    );
    expect(check.stdout.split("\n")[0]).toBe("600");
    await alpha!.download("/opt/harness/payload.txt", join(dir, "back.txt"));
    expect(await readFile(join(dir, "back.txt"), "utf8")).toBe(await readFile(local, "utf8"));
  });

  it.each([
    { target: "10.0.2.2", dev: "eth0" },
    { target: "10.200.0.12", dev: "eth1" },
    { target: "10.96.0.1", dev: "eth1" },
    { target: "172.17.0.1", dev: "eth1" },
    { target: "192.168.1.1", dev: "eth1" },
    { target: "1.1.1.1", dev: "eth0" },
  ])(
    "routes $target via $dev (private ranges never leave through the user-mode NIC)",
    async ({ target, dev }) => {
      const r = await transports[0]!.exec(`ip route get ${target}`, { timeoutMs: 30_000 });
      expect(r.stdout).toContain(`dev ${dev}`);
    },
  );

  it("lets a guest with outbound none reach nothing through its user-mode NIC, the host and link-local included", async () => {
    const server = createServer((socket) => socket.end("host\n"));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    try {
      // QEMU's user-mode NIC maps 10.0.2.2 to the host's loopback: the open guest reaches the port, the restricted one not.
      const probe = (target: string) =>
        `timeout 5 bash -c 'exec 3<>/dev/tcp/${target}' 2>/dev/null && echo open || echo closed`;
      const [alpha, beta] = transports;
      expect((await alpha!.exec(probe(`10.0.2.2/${port}`), { timeoutMs: 30_000 })).stdout.trim()).toBe(
        "open",
      );
      expect((await beta!.exec(probe(`10.0.2.2/${port}`), { timeoutMs: 30_000 })).stdout.trim()).toBe(
        "closed",
      );
      // kubelet 1.20's AWS credential chain asks the EC2 metadata address at start.
      expect((await beta!.exec(probe("169.254.169.254/80"), { timeoutMs: 30_000 })).stdout.trim()).toBe(
        "closed",
      );
      // A name lookup (kubeadm's pull of a missing image) gets no answer from QEMU's DNS either.
      const dns = await beta!.exec("timeout 8 getent hosts deb.debian.org || echo no-answer", {
        timeoutMs: 30_000,
      });
      expect(dns.stdout.trim()).toBe("no-answer");
    } finally {
      server.close();
    }
  });

  it("carries guest-to-guest traffic on the private segment (ping and TCP)", async () => {
    const [alpha, beta] = transports;
    const ping = await alpha!.exec("ping -c 3 -W 5 10.200.0.12", { timeoutMs: 60_000 });
    expect(ping.exitCode).toBe(0);
    expect(ping.stdout).toMatch(/3 received/);
    const server = beta!.exec("timeout 60 busybox nc -l -p 7777", { timeoutMs: 90_000 });
    let sent = await alpha!.exec("sleep 1; echo over-the-segment | busybox nc -w 5 beta 7777", {
      timeoutMs: 60_000,
    });
    for (let i = 0; i < 5 && sent.exitCode !== 0; i++) {
      sent = await alpha!.exec("sleep 2; echo over-the-segment | busybox nc -w 5 beta 7777", {
        timeoutMs: 60_000,
      });
    }
    expect(sent.exitCode).toBe(0);
    expect((await server).stdout).toBe("over-the-segment\n");
  });

  it("destroys the run leaving no process, overlay or port behind", async () => {
    for (const t of transports.splice(0)) await t.close();
    await provider.destroy(runId);
    expect(await processesOf(runId)).toEqual([]);
    for (const m of machines) {
      await expect(stat(join(machineStateDir(stateRoot, runId, m.name), "overlay.qcow2"))).rejects.toThrow();
      expect(await isLoopbackPortOpen(m.ssh.port)).toBe(false);
    }
    expect(await provider.list(runId)).toEqual([]);
  });
});

describe("harness cleanup after a crashed run", () => {
  it("stops the QEMU of a run whose harness was SIGKILLed (its watchdog), and cleanup removes the overlay; the port is free", async () => {
    const dir = await mkdtemp(join(tmpdir(), "qemu-crash-"));
    const runId = newRunId(Date.now());
    const env = { ...process.env, HARNESS_STATE_DIR: join(dir, "state") };
    const child = execa(
      "node",
      ["--import", "tsx", join(import.meta.dirname, "fixtures/start-machine.ts"), runId, join(dir, "run")],
      {
        cwd: repo,
        env,
        reject: false,
      },
    );
    const booting = await new Promise<string>((resolveLine, reject) => {
      let out = "";
      child.stdout?.on("data", (c: Buffer) => {
        out += c.toString();
        const line = out.split("\n").find((l) => l.startsWith("booting"));
        if (line) resolveLine(line);
      });
      void child.then((r) => reject(new Error(`fixture ended early: ${r.stderr}`)));
    });
    const port = Number(/127\.0\.0\.1:(\d+)/.exec(booting)?.[1]);
    child.kill("SIGKILL");
    await child;
    // The watchdog notices its harness is gone and stops the guest; the state folder is what cleanup is for.
    for (let i = 0; i < 60 && (await processesOf(runId)).length > 0; i++) await sleep(500);
    expect(await processesOf(runId)).toEqual([]);
    const cleanup = await execa("node", ["bin/harness.js", "cleanup"], { cwd: repo, env, reject: false });
    expect(cleanup.exitCode).toBe(0);
    expect(cleanup.stdout).toContain(`removed qemu run ${runId}: h-${runId}-victim (stopped, owner gone)`);
    expect(await processesOf(runId)).toEqual([]);
    await expect(stat(join(dir, "state", runId))).rejects.toThrow();
    expect(await isLoopbackPortOpen(port)).toBe(false);
    await rm(dir, { recursive: true, force: true });
  });
});

const facts = await readKvmFacts();
describe.skipIf(!facts.devKvmUsable || kvmUsable(facts).usable)(
  "--accel kvm on a host whose /dev/kvm cannot boot the guests",
  () => {
    it("fails with an error that says so and suggests --accel tcg, leaving no process", async () => {
      const dir = await mkdtemp(join(tmpdir(), "qemu-kvm-"));
      const runId = newRunId(Date.now());
      const provider = createQemuProvider({
        accel: "kvm",
        stateRoot: join(dir, "state"),
        kvmProgressMs: 20_000,
      });
      const ctx: ProviderContext = {
        runId,
        runDir: join(dir, "run"),
        keyPair: await generateRunKeyPair(join(dir, "keys"), "kvm"),
      };
      const error = await provider.create([node("kvm", 0)], ctx).then(
        () => null,
        (err: unknown) => err as Error & { hint?: string },
      );
      expect(error?.message).toMatch(
        /QEMU exited under KVM|no kernel progress on the serial console within 20 s under KVM/,
      );
      expect(error?.hint).toMatch(/--accel tcg/);
      expect(await processesOf(runId)).toEqual([]);
      await provider.destroy(runId);
      await rm(dir, { recursive: true, force: true });
    });
  },
);
