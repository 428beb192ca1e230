import { mkdtemp, readFile, rm } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { HarnessError } from "../../errors.ts";
import type { MachinePlan } from "../../plan/plan.ts";
import type { ProviderContext } from "../provider.ts";
import { StubTool } from "../testing/stub-tool.ts";
import { createMultipassProvider } from "./multipass-provider.ts";

const runId = "20261123-184212-3f9a1c";
const fixture = (name: string): string => readFileSync(join(import.meta.dirname, "fixtures", name), "utf8");
const recorded = (name: string): string =>
  readFileSync(join(join(import.meta.dirname, "recorded"), name), "utf8");

/** The two-instance info fixture once the worker got its address too. */
function infoBothRunning(): string {
  const data = JSON.parse(fixture("info-running-two-instances.json")) as {
    info: Record<string, { ipv4: string[]; state: string }>;
  };
  const worker = data.info[`h-${runId}-worker`];
  if (worker) Object.assign(worker, { ipv4: ["10.93.146.22"], state: "Running" });
  return JSON.stringify(data, null, 4);
}

const machine = (
  name: string,
  privateIp: string,
  image: MachinePlan["image"] = "ubuntu-24.04",
): MachinePlan => ({
  name,
  role: name === "cp" ? "control-plane" : "worker",
  cpus: 2,
  memoryMiB: 4096,
  diskGiB: 20,
  image,
  imagePackages: [],
  imagePayload: null,
  kernelArgs: [],
  outbound: "debian-mirror",
  privateIp,
});

/**
 * What a successful `multipass launch -n <name>` prints, in the shape of the real paste in
 * recorded/launch-error-already-exists-2022.txt (its first launch: `Launched: foo`), for the instance `name`.
 */
function launched(name: string): string {
  const line = recorded("launch-error-already-exists-2022.txt").split("\n")[1]?.trimEnd() ?? "";
  return `${line.replace(/^Launched: \S+$/, `Launched: ${name}`)}\n`;
}

describe("multipass provider (stub multipass on PATH: Multipass cannot run here)", () => {
  let stub: StubTool;
  let runDir = "";
  let events: { machine: string; state: string; detail?: string }[] = [];
  const savedPath = process.env.PATH;
  const provider = createMultipassProvider({ addressPollMs: 10, addressTimeoutMs: 5_000 });
  const ctx = (): ProviderContext => ({
    runId,
    runDir,
    keyPair: {
      privateKeyPath: "/keys/run_ed25519",
      publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIRunKey harness-run",
    },
    report: (e) => events.push(e),
  });

  beforeAll(async () => {
    stub = await StubTool.create("multipass", {});
    process.env.PATH = stub.pathWithStub(savedPath);
    runDir = await mkdtemp(join(tmpdir(), "multipass-run-"));
  });
  afterAll(async () => {
    process.env.PATH = savedPath;
    await stub.remove();
    await rm(runDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    events = [];
  });

  it.each([
    {
      name: "client and daemon answer (recorded version lines, launch-error-hash-mismatch-and-version-1.0.0-mac.txt)",
      version: {
        stdout:
          recorded("launch-error-hash-mismatch-and-version-1.0.0-mac.txt").split(
            "% multipass version\n",
          )[1] ?? "",
      },
      expected: { available: true, reason: "multipass 1.0.0+mac, multipassd 1.0.0+mac" },
    },
    {
      name: "daemon silent (documented format, not recorded)",
      version: {
        stdout: "multipass  1.14.0\n",
        stderr: "cannot connect to the multipass socket\n",
        exitCode: 2,
      },
      expected: {
        available: false,
        reason:
          "multipass 1.14.0 is installed but multipassd does not answer: cannot connect to the multipass socket",
      },
    },
  ])("detects: $name", async ({ version, expected }) => {
    await stub.respond({ version: [version] });
    expect(await provider.detect()).toEqual(expected);
  });

  it("detects a missing multipass with an install hint", async () => {
    const missing = createMultipassProvider({ binary: "multipass-not-installed-here" });
    expect(await missing.detect()).toEqual({
      available: false,
      reason:
        "multipass-not-installed-here not found on PATH; install Multipass (`sudo snap install multipass`) to use this provider",
    });
  });

  it("launches every machine with pinned image, resources and our cloud-init, then waits for addresses", async () => {
    await stub.respond({
      launch: [{ stdout: launched("instance") }],
      info: [{ stdout: fixture("info-running-two-instances.json") }, { stdout: infoBothRunning() }],
    });
    const machines = await provider.create(
      [machine("cp", "10.10.0.11"), machine("worker", "10.10.0.12")],
      ctx(),
    );

    const calls = (await stub.calls()).map((c) => c.argv);
    const dir = join(runDir, "providers", "multipass");
    expect(calls.filter((a) => a[0] === "launch").sort()).toEqual(
      ["cp", "worker"].map((node) => [
        "launch",
        "24.04",
        "--name",
        `h-${runId}-${node}`,
        "--cpus",
        "2",
        "--memory",
        "4096M",
        "--disk",
        "20G",
        "--cloud-init",
        join(dir, `${node}-user-data.yaml`),
        "--timeout",
        "600",
      ]),
    );
    expect(calls.filter((a) => a[0] === "info")).toEqual([
      ["info", "--format", "json", `h-${runId}-cp`, `h-${runId}-worker`],
      ["info", "--format", "json", `h-${runId}-cp`, `h-${runId}-worker`],
    ]);
    expect(calls.some((a) => a[0] === "exec")).toBe(false);

    const hostKey = (await readFile(join(dir, "cp-host-key.pub"), "utf8")).trim();
    expect(hostKey).toMatch(/^ssh-ed25519 AAAA\S+ h-20261123-184212-3f9a1c-cp host key$/);
    const userData = await readFile(join(dir, "cp-user-data.yaml"), "utf8");
    expect(userData).toContain("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIRunKey harness-run");
    expect(userData).toContain(hostKey);
    expect(userData).toContain("hostname: cp");

    expect(machines).toEqual([
      {
        name: "cp",
        id: `h-${runId}-cp`,
        runId,
        privateIp: "10.93.146.21",
        ssh: { host: "10.93.146.21", port: 22, user: "root", privateKeyPath: "/keys/run_ed25519", hostKey },
      },
      expect.objectContaining({
        name: "worker",
        privateIp: "10.93.146.22",
        ssh: expect.objectContaining({ host: "10.93.146.22" }) as unknown,
      }),
    ]);
    expect(events.map((e) => e.state)).toEqual(
      expect.arrayContaining(["launching", "launched", "waiting-for-address", "address"]),
    );
    expect(events.find((e) => e.state === "address" && e.machine === "cp")?.detail).toContain(
      "the plan's private address 10.10.0.11 cannot be set",
    );
  });

  it("refuses a Debian image before launching anything", async () => {
    await stub.respond({ launch: [{ stdout: launched("instance") }] });
    await expect(provider.create([machine("cp", "10.10.0.11", "debian-13")], ctx())).rejects.toMatchObject({
      code: "MULTIPASS_IMAGE_UNSUPPORTED",
      hint: expect.stringContaining("use the qemu or vagrant provider") as unknown,
    });
    expect(await stub.calls()).toEqual([]);
  });

  it("refuses a node name too long for an instance name before launching anything", async () => {
    await stub.respond({ launch: [{ stdout: launched("instance") }] });
    await expect(provider.create([machine("n".repeat(40), "10.10.0.11")], ctx())).rejects.toMatchObject({
      code: "MULTIPASS_NAME_TOO_LONG",
      hint: "multipass instance names are host names; shorten the node name to at most 38 characters",
    });
    expect(await stub.calls()).toEqual([]);
  });

  it("turns a launch timeout into a HarnessError with a hint (recorded launch-error-timeout-response-macos-2024.txt)", async () => {
    const stderr = recorded("launch-error-timeout-response-macos-2024.txt").split("\n").slice(1).join("\n");
    await stub.respond({ launch: [{ stderr, exitCode: 2 }] });
    const error = await provider.create([machine("cp", "10.10.0.11")], ctx()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HarnessError);
    expect(error).toMatchObject({
      code: "MULTIPASS_LAUNCH_TIMEOUT",
      message: `multipass could not launch h-${runId}-cp: launch failed: The following errors occurred:\nubuntu: timed out waiting for response`,
    });
    expect(await readFile(join(runDir, "providers", "multipass", "cp-launch.log"), "utf8")).toContain(
      "timed out",
    );
  });

  it("gives up waiting for an address with the instance's state in the message", async () => {
    const quick = createMultipassProvider({ addressPollMs: 10, addressTimeoutMs: 200 });
    await stub.respond({ launch: [{}], info: [{ stdout: fixture("info-stopped.json") }] });
    await expect(quick.create([machine("cp", "10.10.0.11")], ctx())).rejects.toMatchObject({
      code: "MULTIPASS_NO_ADDRESS",
      message: expect.stringContaining(`h-${runId}-cp (Stopped)`) as unknown,
    });
  });

  it.each([
    { name: "one run", runId, expected: [`h-${runId}-cp`, `h-${runId}-worker`] },
    {
      name: "every run",
      runId: undefined,
      expected: [`h-${runId}-cp`, `h-${runId}-worker`, "h-20261122-090000-aaaaaa-node1"],
    },
  ])(
    "lists the harness's instances of $name, never others (documented format, not recorded)",
    async ({ runId: which, expected }) => {
      await stub.respond({ list: [{ stdout: fixture("list-mixed-runs.json") }] });
      const records = await provider.list(which);
      expect(records.map((r) => r.id)).toEqual(expected);
      expect(records[1]).toEqual({ id: `h-${runId}-worker`, runId, state: "Deleted" });
    },
  );

  it("destroys a run's instances with delete --purge, and nothing else", async () => {
    await stub.respond({ list: [{ stdout: fixture("list-mixed-runs.json") }], delete: [{}] });
    await provider.destroy(runId);
    expect((await stub.calls()).map((c) => c.argv)).toEqual([
      ["list", "--format", "json"],
      ["delete", "--purge", `h-${runId}-cp`, `h-${runId}-worker`],
    ]);
  });

  it("destroys nothing when the run has no instance left (idempotent)", async () => {
    await stub.respond({ list: [{ stdout: '{"list": []}' }] });
    await provider.destroy(runId);
    expect((await stub.calls()).map((c) => c.argv[0])).toEqual(["list"]);
  });

  it("reports a failed delete with the instances left and the command to retry", async () => {
    await stub.respond({
      list: [{ stdout: fixture("list-mixed-runs.json") }],
      delete: [{ stderr: "delete failed: cannot connect to the multipass socket\n", exitCode: 2 }],
    });
    await expect(provider.destroy(runId)).rejects.toMatchObject({
      code: "MULTIPASS_DELETE_FAILED",
      message: `multipass could not delete h-${runId}-cp, h-${runId}-worker of run ${runId}: delete failed: cannot connect to the multipass socket`,
      hint: `retry with \`harness cleanup --run ${runId}\`, or by hand: \`multipass delete --purge h-${runId}-cp h-${runId}-worker\``,
    });
  });

  it("collects the launch log and the instance's info", async () => {
    await stub.respond({ launch: [{ stdout: launched("x") }], info: [{ stdout: infoBothRunning() }] });
    const [cp] = await provider.create([machine("cp", "10.10.0.11")], ctx());
    if (!cp) throw new Error("no machine");
    const logDir = join(runDir, "logs", "cp");
    const files = await provider.collectLogs(cp, logDir);
    expect(files).toEqual([join(logDir, "multipass-launch.log"), join(logDir, "multipass-info.json")]);
    expect(await readFile(join(logDir, "multipass-launch.log"), "utf8")).toContain("Launched: x");
  });
});
