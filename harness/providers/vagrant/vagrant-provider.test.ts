import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { MachinePlan } from "../../plan/plan.ts";
import type { ProviderContext } from "../provider.ts";
import { StubTool } from "../testing/stub-tool.ts";
import { createVagrantProvider, type VagrantProviderOptions } from "./vagrant-provider.ts";

const runId = "20261123-184212-3f9a1c";
const otherRunId = "20261122-090000-aaaaaa";
const fixture = (name: string): string => readFileSync(join(import.meta.dirname, "fixtures", name), "utf8");

const machine = (
  name: string,
  privateIp: string,
  image: MachinePlan["image"] = "debian-13",
): MachinePlan => ({
  name,
  role: name === "cp" ? "control-plane" : "worker",
  cpus: 2,
  memoryMiB: 2048,
  diskGiB: 10,
  image,
  imagePackages: [],
  imagePayload: null,
  kernelArgs: [],
  outbound: "debian-mirror",
  privateIp,
});

describe("vagrant provider (stub vagrant and virsh on PATH)", () => {
  let vagrant: StubTool;
  let virsh: StubTool;
  let work = "";
  let projectsDir = "";
  let runDir = "";
  const savedPath = process.env.PATH;
  const options = (): VagrantProviderOptions => ({
    projectsDir,
    boxes: { "debian-13": { name: "harness/debian-13", version: "0" } },
    sshUsername: "root",
    sshSudoCommand: "%c",
    bootstrapKeyPath: "/keys/bootstrap",
    libvirt: { driver: "qemu" },
  });
  const ctx = (): ProviderContext => ({
    runId,
    runDir,
    keyPair: {
      privateKeyPath: "/keys/run_ed25519",
      publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIRunKey harness-run",
    },
  });

  beforeAll(async () => {
    vagrant = await StubTool.create("vagrant", {});
    virsh = await StubTool.create("virsh", {
      "-c": [{ stdout: "Compiled against library: libvirt 9.0.0\n" }],
    });
    process.env.PATH = virsh.pathWithStub(vagrant.pathWithStub(savedPath));
    work = await mkdtemp(join(tmpdir(), "vagrant-provider-"));
  });
  afterAll(async () => {
    process.env.PATH = savedPath;
    await vagrant.remove();
    await virsh.remove();
    await rm(work, { recursive: true, force: true });
  });
  beforeEach(async () => {
    projectsDir = join(work, `projects-${Math.random().toString(16).slice(2)}`);
    runDir = join(work, `run-${Math.random().toString(16).slice(2)}`);
    await mkdir(runDir, { recursive: true });
  });

  it.each([
    {
      name: "vagrant with vagrant-libvirt and a live libvirtd",
      responses: {
        "--version": [{ stdout: "Vagrant 2.3.4\n" }],
        plugin: [{ stdout: "vagrant-libvirt (0.11.2, system)\n" }],
      },
      expected: {
        available: true,
        reason: "Vagrant 2.3.4 with vagrant-libvirt 0.11.2, system; libvirt at qemu:///system answers",
      },
    },
    {
      name: "vagrant without the libvirt plugin",
      responses: {
        "--version": [{ stdout: "Vagrant 2.3.4\n" }],
        plugin: [{ stdout: "No plugins installed.\n" }],
      },
      expected: {
        available: false,
        reason:
          "Vagrant 2.3.4 is installed but the vagrant-libvirt plugin is not; install it with `apt-get install vagrant-libvirt`",
      },
    },
  ])("detects $name (documented format, not recorded)", async ({ responses, expected }) => {
    await vagrant.respond(responses);
    expect(await createVagrantProvider(options()).detect()).toEqual(expected);
  });

  it("detects a libvirtd that does not answer", async () => {
    await vagrant.respond({
      "--version": [{ stdout: "Vagrant 2.3.4\n" }],
      plugin: [{ stdout: "vagrant-libvirt (0.11.2, system)\n" }],
    });
    await virsh.respond({ "-c": [{ stderr: "error: failed to connect to the hypervisor\n", exitCode: 1 }] });
    const result = await createVagrantProvider(options()).detect();
    await virsh.respond({ "-c": [{ stdout: "Compiled against library: libvirt 9.0.0\n" }] });
    expect(result.available).toBe(false);
    expect(result.reason).toContain(
      "libvirt at qemu:///system does not answer (error: failed to connect to the hypervisor)",
    );
  });

  it("detects a missing vagrant", async () => {
    const result = await createVagrantProvider({
      ...options(),
      binary: "vagrant-not-installed-here",
    }).detect();
    expect(result.available).toBe(false);
    expect(result.reason).toContain("apt-get install vagrant vagrant-libvirt");
  });

  it("writes the run's Vagrantfile, brings every machine up once, and reads ssh-config once into endpoints (documented format, not recorded)", async () => {
    await vagrant.respond({
      up: [{ stdout: "Bringing machine 'h-20261123-184212-3f9a1c-cp' up with 'libvirt' provider...\n" }],
      "ssh-config": [{ stdout: fixture("ssh-config-two-machines-libvirt.txt") }],
    });
    const machines = await createVagrantProvider(options()).create(
      [machine("cp", "10.10.0.11"), machine("worker", "10.10.0.12")],
      ctx(),
    );

    const project = join(projectsDir, runId);
    expect(await vagrant.calls()).toEqual([
      {
        argv: ["up", "--provider=libvirt", "--parallel", "--no-destroy-on-error", "--no-color"],
        cwd: project,
      },
      { argv: ["ssh-config"], cwd: project },
    ]);
    const vagrantfile = await readFile(join(project, "Vagrantfile"), "utf8");
    expect(vagrantfile).toContain(`config.vm.define 'h-${runId}-worker' do |node|`);
    expect(vagrantfile).toContain(`config.ssh.private_key_path = ['/keys/run_ed25519', '/keys/bootstrap']`);
    expect(vagrantfile).toContain(`lv.driver = 'qemu'`);
    expect(await readFile(join(runDir, "providers", "vagrant", "Vagrantfile"), "utf8")).toBe(vagrantfile);
    expect(await readFile(join(runDir, "providers", "vagrant", "vagrant-up.log"), "utf8")).toContain(
      "Bringing machine",
    );
    expect(machines).toEqual([
      {
        name: "cp",
        id: `h-${runId}-cp`,
        runId,
        privateIp: "10.10.0.11",
        ssh: { host: "192.168.121.17", port: 22, user: "root", privateKeyPath: "/keys/run_ed25519" },
      },
      {
        name: "worker",
        id: `h-${runId}-worker`,
        runId,
        privateIp: "10.10.0.12",
        ssh: { host: "192.168.121.94", port: 22, user: "root", privateKeyPath: "/keys/run_ed25519" },
      },
    ]);
  });

  it("asks prepareMachine for each machine's libvirt extras and trusts only the run key when told", async () => {
    await vagrant.respond({
      up: [{}],
      "ssh-config": [{ stdout: fixture("ssh-config-two-machines-libvirt.txt") }],
    });
    const seen: string[] = [];
    await createVagrantProvider({
      ...options(),
      bootstrapKeyPath: null,
      guestSelfConfigured: true,
      prepareMachine: (m, context) => {
        seen.push(`${m.name}:${context.index}:${context.runId}:${context.publicKey}`);
        return Promise.resolve({
          managementMac: `52:54:00:aa:00:0${context.index + 1}`,
          qemuArgs: ["-fw_cfg", `name=opt/seed,file=/s/${m.name}.tar`],
        });
      },
    }).create([machine("cp", "10.10.0.11"), machine("worker", "10.10.0.12")], ctx());
    expect(seen).toEqual([
      `cp:0:${runId}:ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIRunKey harness-run`,
      `worker:1:${runId}:ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIRunKey harness-run`,
    ]);
    const vagrantfile = await readFile(join(projectsDir, runId, "Vagrantfile"), "utf8");
    expect(vagrantfile).toContain("config.ssh.private_key_path = ['/keys/run_ed25519']\n");
    expect(vagrantfile).toContain("lv.management_network_mac = '52:54:00:aa:00:02'");
    expect(vagrantfile).toContain("lv.qemuargs value: 'name=opt/seed,file=/s/worker.tar'");
    expect(vagrantfile).toContain(
      `lv.serial type: 'file', source: { path: '${join(runDir, "providers", "vagrant", "worker-serial.log")}' }`,
    );
    expect(vagrantfile).toContain("auto_config: false");
  });

  it("turns a failed vagrant up into a HarnessError pointing at the log, without reading ssh-config", async () => {
    await vagrant.respond({
      up: [
        {
          stderr:
            "The box 'harness/debian-13' could not be found or\ncould not be accessed in the remote catalog.\n",
          exitCode: 1,
        },
      ],
      "ssh-config": [{ stdout: "" }],
    });
    await expect(
      createVagrantProvider(options()).create([machine("cp", "10.10.0.11")], ctx()),
    ).rejects.toMatchObject({
      code: "VAGRANT_BOX_NOT_FOUND",
      hint: expect.stringContaining(join(runDir, "providers", "vagrant", "vagrant-up.log")) as unknown,
    });
    expect((await vagrant.calls()).map((c) => c.argv[0])).toEqual(["up"]);
  });

  it("refuses an image without a box before running vagrant", async () => {
    await vagrant.respond({});
    await expect(
      createVagrantProvider({ ...options(), boxes: {} }).create(
        [machine("cp", "10.10.0.11", "debian-12")],
        ctx(),
      ),
    ).rejects.toMatchObject({
      code: "VAGRANT_NO_BOX",
      hint: expect.stringContaining("vagrant box add") as unknown,
    });
    expect(await vagrant.calls()).toEqual([]);
  });

  it("reports a machine missing from ssh-config", async () => {
    await vagrant.respond({
      up: [{}],
      "ssh-config": [{ stdout: fixture("ssh-config-two-machines-libvirt.txt") }],
    });
    await expect(
      createVagrantProvider(options()).create([machine("other", "10.10.0.13")], ctx()),
    ).rejects.toMatchObject({
      code: "VAGRANT_NO_SSH_CONFIG",
      message: `vagrant ssh-config printed no Host block for h-${runId}-other`,
    });
  });

  it.each([
    {
      name: "one run",
      which: runId,
      expected: [
        [`h-${runId}-cp`, "running"],
        [`h-${runId}-worker`, "shutoff"],
      ],
    },
    {
      name: "every run with a project",
      which: undefined,
      expected: [
        [`h-${runId}-cp`, "running"],
        [`h-${runId}-worker`, "shutoff"],
      ],
    },
  ])(
    "lists the machines of $name from vagrant status (documented format, not recorded)",
    async ({ which, expected }) => {
      for (const id of [runId, otherRunId]) {
        await mkdir(join(projectsDir, id), { recursive: true });
        await writeFile(join(projectsDir, id, "Vagrantfile"), "");
      }
      await mkdir(join(projectsDir, "not-a-run"), { recursive: true });
      await vagrant.respond({
        status: [
          {
            stdout:
              which === undefined
                ? fixture("status-not-created-virtualbox.txt")
                : fixture("status-two-machines-libvirt.txt"),
          },
          { stdout: fixture("status-two-machines-libvirt.txt") },
        ],
      });
      const records = await createVagrantProvider(options()).list(which);
      expect(records.map((r) => [r.id, r.state])).toEqual(expected);
      expect((await vagrant.calls()).map((c) => c.cwd)).toEqual(
        which === undefined
          ? [join(projectsDir, otherRunId), join(projectsDir, runId)]
          : [join(projectsDir, runId)],
      );
    },
  );

  it("destroys a run's project with destroy -f, then removes it; a second destroy does nothing", async () => {
    const project = join(projectsDir, runId);
    await mkdir(project, { recursive: true });
    await writeFile(join(project, "Vagrantfile"), "");
    await vagrant.respond({ destroy: [{ stdout: "==> h-x-cp: Removing domain...\n" }] });
    const provider = createVagrantProvider(options());
    await provider.destroy(runId);
    await provider.destroy(runId);
    expect(await vagrant.calls()).toEqual([{ argv: ["destroy", "-f"], cwd: project }]);
    await expect(stat(project)).rejects.toThrow();
  });

  it("keeps the project and says what to do when destroy fails", async () => {
    const project = join(projectsDir, runId);
    await mkdir(project, { recursive: true });
    await writeFile(join(project, "Vagrantfile"), "");
    await vagrant.respond({ destroy: [{ stderr: "Error while connecting to Libvirt\n", exitCode: 1 }] });
    await expect(createVagrantProvider(options()).destroy(runId)).rejects.toMatchObject({
      code: "VAGRANT_DESTROY_FAILED",
      hint: expect.stringContaining(`run \`vagrant destroy -f\` in ${project} by hand`) as unknown,
    });
    expect((await stat(join(project, "Vagrantfile"))).isFile()).toBe(true);
  });

  it("collects the run's Vagrantfile and up log for a machine", async () => {
    await vagrant.respond({
      up: [{ stdout: "up output\n" }],
      "ssh-config": [{ stdout: fixture("ssh-config-two-machines-libvirt.txt") }],
    });
    const provider = createVagrantProvider(options());
    const [cp] = await provider.create([machine("cp", "10.10.0.11")], ctx());
    if (!cp) throw new Error("no machine");
    const files = await provider.collectLogs(cp, join(runDir, "logs", "cp"));
    expect(files).toEqual([
      join(runDir, "logs", "cp", "vagrant-Vagrantfile"),
      join(runDir, "logs", "cp", "vagrant-vagrant-up.log"),
    ]);
    expect(await readFile(join(runDir, "logs", "cp", "vagrant-vagrant-up.log"), "utf8")).toBe("up output\n");
  });
});
