import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { osPrepRecipe } from "./os-prep.ts";
import { kubeScenario, recipeContext } from "./testing/scenario-context.ts";

const fstab = `# /etc/fstab: static file system information.
LABEL=cloudimg-rootfs	/	 ext4	discard,errors=remount-ro	0 1
/swap.img	none	swap	sw	0	0
# /old.swap none swap sw 0 0
`;

const hosts = `127.0.0.1 localhost
# BEGIN harness nodes
10.9.9.9 stale
# END harness nodes
::1 ip6-localhost
`;

/** Runs cp1's script with /etc paths moved into a temp dir and stubs for the commands that change the host. */
function runTwice(): { status: (number | null)[]; stdout: string; dir: string } {
  const step = osPrepRecipe.plan(recipeContext(kubeScenario())).steps[0];
  if (step?.kind !== "script") throw new Error("no os-prep step");
  const dir = mkdtempSync(path.join(tmpdir(), "os-prep-"));
  for (const d of ["bin", "etc/modules-load.d", "etc/sysctl.d"])
    mkdirSync(path.join(dir, d), { recursive: true });
  writeFileSync(path.join(dir, "etc/fstab"), fstab);
  writeFileSync(path.join(dir, "etc/hosts"), hosts);
  writeFileSync(path.join(dir, "etc/machine-id"), "0123456789abcdef0123456789abcdef\n");
  const stubs: Record<string, string> = {
    swapoff: 'echo "swapoff $*" >> "$STUB_LOG"',
    modprobe: 'echo "modprobe $*" >> "$STUB_LOG"',
    hostnamectl: 'echo "hostnamectl $*" >> "$STUB_LOG"',
    sysctl: '[ "$1" = -n ] && echo 1; exit 0',
    timedatectl: "echo yes",
  };
  for (const [name, body] of Object.entries(stubs)) {
    writeFileSync(path.join(dir, "bin", name), `#!/usr/bin/env bash\n${body}\n`);
    chmodSync(path.join(dir, "bin", name), 0o755);
  }
  const script = (step.runs[0]?.script ?? "").replaceAll("/etc/", `${dir}/etc/`);
  const env = {
    ...process.env,
    PATH: `${dir}/bin:${process.env.PATH ?? ""}`,
    STUB_LOG: path.join(dir, "log"),
  };
  const runs = [1, 2].map(() => spawnSync("bash", ["-c", script], { encoding: "utf8", env }));
  return { status: runs.map((r) => r.status), stdout: runs[0]?.stdout ?? "", dir };
}

describe("the os-prep script (stubs for swapoff, modprobe, sysctl, hostnamectl; /etc in a temp dir)", () => {
  const { status, stdout, dir } = runTwice();
  const read = (f: string) => readFileSync(path.join(dir, f), "utf8");

  it("succeeds twice in a row", () => {
    expect(status).toEqual([0, 0]);
  });

  it("comments out the active swap line of fstab once, leaving other lines alone", () => {
    expect(read("etc/fstab")).toBe(fstab.replace("/swap.img", "# disabled by harness: /swap.img"));
  });

  it("replaces the harness block of /etc/hosts with every node's private address", () => {
    expect(read("etc/hosts")).toBe(
      "127.0.0.1 localhost\n::1 ip6-localhost\n# BEGIN harness nodes\n10.200.0.11 cp1\n10.200.0.12 worker1\n# END harness nodes\n",
    );
  });

  it("loads and persists the modules and sysctls, and names the host", () => {
    expect(read("etc/modules-load.d/harness-kubernetes.conf")).toBe("overlay\nbr_netfilter\n");
    expect(read("etc/sysctl.d/99-harness-kubernetes.conf")).toBe(
      "net.bridge.bridge-nf-call-iptables = 1\nnet.ipv4.ip_forward = 1\n",
    );
    expect(read("log").split("\n")).toEqual(
      expect.arrayContaining(["swapoff -a", "modprobe br_netfilter", "hostnamectl set-hostname cp1"]),
    );
  });

  it("prints the machine-id for the runner to compare", () => {
    expect(stdout).toContain("harness-machine-id: 0123456789abcdef0123456789abcdef");
  });
});

describe("osPrepRecipe", () => {
  it("does nothing for runtime-only scenarios", () => {
    const ctx = recipeContext({
      ...kubeScenario(),
      nodes: [{ name: "node1", role: "standalone" }],
      kubernetes: "none",
      cni: { plugin: "none" },
      observe: { probes: [{ name: "p", kind: "sysctl", key: "kernel.ostype" }] },
      expect: { verdict: "healthy", checks: [{ probe: "p" }] },
    });
    expect(osPrepRecipe.plan(ctx).steps).toEqual([]);
  });
});
