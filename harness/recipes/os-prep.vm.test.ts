// Real Debian 13 guest: the kubeadm OS-preparation script (swap, modules, sysctls, hostname, /etc/hosts), run twice
// over the SSH transport to show it works and is idempotent. The guest gets a swap file first so "swap off" has work.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Machine } from "../providers/provider.ts";
import { createQemuProvider } from "../providers/qemu/qemu-provider.ts";
import { newRunId } from "../runner/run-id.ts";
import { generateRunKeyPair, KnownHosts } from "../transport/ssh-keys.ts";
import { connectSsh } from "../transport/ssh-transport.ts";
import type { Transport } from "../transport/transport.ts";
import { osPrepRecipe } from "./os-prep.ts";
import { kubeScenario, recipeContext } from "./testing/scenario-context.ts";

const ctx = recipeContext(kubeScenario({ image: "debian-13" }));
const step = osPrepRecipe.plan(ctx).steps[0]!;
const script = step.kind === "script" ? step.runs.find((r) => r.node === "cp1")!.script : "";
const provider = createQemuProvider({ accel: "tcg" });
const runId = newRunId(Date.now());
let runDir = "";
let scriptFile = "";
let transport: Transport;

async function sh(command: string): Promise<string> {
  const result = await transport.exec(command, { timeoutMs: 120_000 });
  expect(result.exitCode, `${command}\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result.stdout.trim();
}

describe("kubeadm OS preparation on a real Debian 13 guest (qemu provider)", () => {
  beforeAll(async () => {
    runDir = await mkdtemp(path.join(tmpdir(), "harness-os-prep-"));
    const keyPair = await generateRunKeyPair(path.join(runDir, "ssh"), "os-prep-test");
    const [machine] = (await provider.create([ctx.machines[0]!], { runId, runDir, keyPair })) as [Machine];
    transport = await connectSsh({
      endpoint: machine.ssh,
      name: machine.name,
      knownHosts: new KnownHosts(path.join(runDir, "known_hosts")),
      connectTimeoutMs: 120_000,
    });
    await sh("fallocate -l 64M /swapfile && chmod 600 /swapfile && mkswap /swapfile && swapon /swapfile");
    await sh("echo '/swapfile none swap sw 0 0' >> /etc/fstab");
    scriptFile = path.join(runDir, "os-prep.sh");
    await writeFile(scriptFile, script);
  });

  afterAll(async () => {
    await transport?.close();
    await provider.destroy(runId);
    await rm(runDir, { recursive: true, force: true });
  });

  it("turns swap off, loads the modules, sets the sysctls, names the node and lists every node in /etc/hosts; twice", async () => {
    for (let round = 1; round <= 2; round++) {
      await transport.upload(scriptFile, "/tmp/os-prep.sh");
      const out = await sh("bash /tmp/os-prep.sh");
      expect(out).toMatch(/harness-machine-id: [0-9a-f]{32}/);
      expect(await sh("swapon --noheadings --show | wc -l")).toBe("0");
      expect(await sh("grep -c '^[^#].*swap' /etc/fstab || true")).toBe("0");
      expect(await sh("grep -E '^(overlay|br_netfilter) ' /proc/modules | wc -l")).toBe("2");
      expect(await sh("sysctl -n net.bridge.bridge-nf-call-iptables net.ipv4.ip_forward")).toBe("1\n1");
      expect(await sh("hostname")).toBe("cp1");
      const hosts = await sh("cat /etc/hosts");
      for (const m of ctx.machines)
        expect(hosts).toMatch(new RegExp(`^${m.privateIp.replace(/\./g, "\\.")}\\s+${m.name}\\b`, "m"));
      expect(hosts.split("\n").filter((l) => /\bworker1\b/.test(l))).toHaveLength(1);
    }
  });
});
