// Real Vagrant + vagrant-libvirt: libvirtd (and so its bridges, dnsmasq and all guest traffic) runs inside a network
// namespace this test creates, so nothing addressed to libvirt's private 192.168.121.0/24 leaves it.
import { execFileSync } from "node:child_process";
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KernelBootImage } from "../../images/boot-image.ts";
import { imagesDir } from "../../images/cache-dir.ts";
import { ImageStore } from "../../images/image-store.ts";
import type { MachinePlan } from "../../plan/plan.ts";
import { newRunId } from "../../runner/run-id.ts";
import type { Machine, Provider } from "../provider.ts";
import { runTool, type ToolResult } from "../run-tool.ts";
import { debianSeedPreparer } from "./debian-seed-machine.ts";
import { createVagrantProvider } from "./vagrant-provider.ts";

/** Whether every program the test needs is here and vagrant has its libvirt plugin. */
const ready = (() => {
  try {
    for (const program of ["vagrant", "libvirtd", "virtlogd", "virsh", "ip", "dnsmasq", "ssh"]) {
      execFileSync("sh", ["-c", `command -v ${program}`], { stdio: "ignore" });
    }
    return (
      process.getuid?.() === 0 &&
      execFileSync("vagrant", ["plugin", "list"], { encoding: "utf8" }).includes("vagrant-libvirt")
    );
  } catch {
    return false;
  }
})();

const boxName = "harness-vm-test/debian-13";
const uri = "qemu:///system";

async function run(
  program: string,
  args: string[],
  timeoutMs = 120_000,
  env?: Record<string, string>,
): Promise<ToolResult> {
  const r = await runTool(program, args, { timeoutMs, ...(env ? { env } : {}) });
  if (r.exitCode !== 0)
    throw new Error(
      `${r.command} failed (${String(r.exitCode)}): ${r.stderr || r.stdout || r.missing || ""}`,
    );
  return r;
}

const virsh = (...args: string[]): Promise<ToolResult> =>
  runTool("virsh", ["-c", uri, ...args], { timeoutMs: 60_000 });

const node = (name: string, privateIp: string): MachinePlan => ({
  name,
  role: name === "cp" ? "control-plane" : "worker",
  cpus: 1,
  memoryMiB: 1024,
  diskGiB: 4,
  image: "debian-13",
  imagePackages: [],
  imagePayload: null,
  kernelArgs: [],
  outbound: "debian-mirror",
  privateIp,
});

describe.skipIf(!ready)(
  "vagrant provider on real Vagrant + vagrant-libvirt (libvirtd in a network namespace, Debian 13 under TCG)",
  () => {
    const ns = `hvg${process.pid}`;
    const runId = newRunId(Date.now());
    let work = "";
    let image: KernelBootImage;
    let provider: Provider;
    let runKey = "";
    let poolExisted = false;
    let nsCreated = false;

    beforeAll(async () => {
      const socketAnswers = (await virsh("version")).exitCode === 0;
      if (socketAnswers)
        throw new Error(
          `a libvirtd already answers at ${uri}; this test starts its own in a network namespace: stop the other one first`,
        );
      const booted = await new ImageStore({ imagesDir: imagesDir() }).ensure("debian-13");
      if (booted.kind !== "kernel") throw new Error("debian-13 is expected to be a kernel-boot image");
      image = booted;

      work = await mkdtemp(join(tmpdir(), "vagrant-libvirt-"));
      // QEMU runs as libvirt's own user: it must reach the kernel, initrd and seeds under this directory.
      await chmod(work, 0o755);
      await run("ip", ["netns", "add", ns]);
      nsCreated = true;
      await run("ip", ["netns", "exec", ns, "ip", "link", "set", "lo", "up"]);
      await run("ip", ["netns", "exec", ns, "virtlogd", "-d", "-p", join(work, "virtlogd.pid")]);
      await run("ip", ["netns", "exec", ns, "libvirtd", "-d", "--pid-file", join(work, "libvirtd.pid")]);
      for (let i = 0; i < 80 && (await virsh("version")).exitCode !== 0; i++)
        await new Promise((r) => setTimeout(r, 250));
      poolExisted = (await virsh("pool-info", "default")).exitCode === 0;

      const box = join(work, "box");
      await mkdir(box);
      await copyFile(image.rootfs, join(box, "box.img"));
      await writeFile(
        join(box, "metadata.json"),
        `{"provider":"libvirt","format":"qcow2","virtual_size":4}\n`,
      );
      await writeFile(join(box, "Vagrantfile"), "Vagrant.configure('2') do |config|\nend\n");
      await run("tar", [
        "-C",
        box,
        "-cf",
        join(work, "debian-13.box"),
        "metadata.json",
        "Vagrantfile",
        "box.img",
      ]);
      await rm(box, { recursive: true });
      await run("vagrant", ["box", "add", "--name", boxName, join(work, "debian-13.box")], 300_000, {
        VAGRANT_HOME: join(work, "vagrant.d"),
      });
    });

    afterAll(async () => {
      if (provider) await provider.destroy(runId).catch(() => undefined);
      // `vol-list` prints a table (no --name): the volume name is the first column after the two header lines.
      const vols = await virsh("vol-list", "default");
      for (const line of vols.stdout.split("\n").slice(2)) {
        const vol = line.trim().split(/\s+/)[0] ?? "";
        if (vol.startsWith("harness-vm-test-VAGRANTSLASH-debian-13"))
          await virsh("vol-delete", "--pool", "default", vol);
      }
      if (!poolExisted) {
        await virsh("pool-destroy", "default");
        await virsh("pool-undefine", "default");
      }
      const nets = await virsh("net-list", "--all", "--name");
      for (const net of nets.stdout.split("\n").map((n) => n.trim())) {
        if (net === "vagrant-libvirt" || net === `h-${runId}`) {
          await virsh("net-destroy", net);
          await virsh("net-undefine", net);
        }
      }
      for (const daemon of ["libvirtd", "virtlogd"]) {
        const pid = Number(await readFile(join(work, `${daemon}.pid`), "utf8").catch(() => "0"));
        if (pid > 0) process.kill(pid, "SIGTERM");
      }
      if (nsCreated) await runTool("ip", ["netns", "del", ns], { timeoutMs: 30_000 });
      if (work !== "") await rm(work, { recursive: true, force: true });
    });

    it("brings two guests up in parallel, reaches them over plain SSH, proves the private network, destroys them", async () => {
      const vagrantHome = join(work, "vagrant.d");
      runKey = join(work, "run_ed25519");
      await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "harness-run", "-f", runKey]);
      for (const file of ["vmlinuz", "initrd.img"]) {
        await copyFile(file === "vmlinuz" ? image.kernel : image.initrd, join(work, file));
        await chmod(join(work, file), 0o644);
      }
      provider = createVagrantProvider({
        commandPrefix: ["ip", "netns", "exec", ns],
        env: { VAGRANT_HOME: vagrantHome },
        projectsDir: join(work, "projects"),
        boxes: { "debian-13": { name: boxName, version: "0" } },
        sshUsername: "root",
        sshSudoCommand: "%c",
        bootstrapKeyPath: null,
        guestSelfConfigured: true,
        prepareMachine: debianSeedPreparer(image),
        libvirt: {
          driver: "qemu",
          kernel: join(work, "vmlinuz"),
          initrd: join(work, "initrd.img"),
          cmdLine: image.append,
        },
        bootTimeoutS: 1200,
      });
      const availability = await provider.detect();
      expect(availability, availability.reason).toMatchObject({ available: true });

      const runDir = join(work, "run");
      await mkdir(runDir, { recursive: true });
      await chmod(runDir, 0o755);
      const started = Date.now();
      const machines = await provider.create([node("cp", "10.10.0.11"), node("worker", "10.10.0.12")], {
        runId,
        runDir,
        keyPair: { privateKeyPath: runKey, publicKey: await readFile(`${runKey}.pub`, "utf8") },
      });
      console.info(
        `vagrant up of 2 Debian 13 guests (TCG, parallel) took ${Math.round((Date.now() - started) / 1000)} s`,
      );

      const ssh = (m: Machine, command: string): Promise<ToolResult> =>
        runTool(
          "ip",
          [
            "netns",
            "exec",
            ns,
            "ssh",
            "-i",
            m.ssh.privateKeyPath,
            "-p",
            String(m.ssh.port),
            "-o",
            "BatchMode=yes",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "LogLevel=ERROR",
            `${m.ssh.user}@${m.ssh.host}`,
            command,
          ],
          { timeoutMs: 180_000 },
        );
      for (const [m, peer] of [
        [machines[0], machines[1]],
        [machines[1], machines[0]],
      ] as const) {
        if (!m || !peer) throw new Error("expected two machines");
        expect(m.ssh).toMatchObject({ port: 22, user: "root", privateKeyPath: runKey });
        expect(m.ssh.host).toMatch(/^192\.168\.121\.\d+$/);
        const r = await ssh(
          m,
          `hostname; ip -4 -o addr show dev eth1; ping -c 2 -W 10 ${peer.privateIp} >/dev/null && echo peer-ok`,
        );
        expect(r.exitCode, r.stderr).toBe(0);
        expect(r.stdout).toContain(`${m.name}\n`);
        expect(r.stdout).toContain(`inet ${m.privateIp}/24`);
        expect(r.stdout).toContain("peer-ok");
      }

      expect((await provider.list(runId)).map((r) => [r.id, r.state])).toEqual([
        [`h-${runId}-cp`, "running"],
        [`h-${runId}-worker`, "running"],
      ]);
      const cp = machines[0];
      if (!cp) throw new Error("no cp");
      const logs = await provider.collectLogs(cp, join(runDir, "logs", "cp"));
      expect(logs.map((l) => l.split("/").pop())).toEqual([
        "vagrant-Vagrantfile",
        "vagrant-vagrant-up.log",
        "serial.log",
      ]);
      expect((await stat(join(runDir, "logs", "cp", "serial.log"))).isFile()).toBe(true);

      await provider.destroy(runId);
      expect(await provider.list(runId)).toEqual([]);
      expect((await virsh("list", "--all", "--name")).stdout).not.toContain(runId);
    });
  },
);
