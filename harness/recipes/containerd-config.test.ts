import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { containerdConfigFunctions } from "./containerd-config-shell.ts";
import type { ScenarioInput } from "../scenario/schema.ts";
import {
  containerdConfigCommands,
  containerdSettings,
  type ContainerdSettings,
} from "./containerd-config.ts";
import { kubeScenario, recipeContext } from "./testing/scenario-context.ts";

const fixtures = path.join(import.meta.dirname, "fixtures");

/**
 * A stub `containerd` on PATH: `config default` prints a recorded default config; `config dump` prints the edited
 * file (or, with DUMP_IGNORES_EDITS, the unedited default, as when an edit lands where containerd does not look).
 */
function stubContainerd(dir: string, defaultConfig: string): void {
  const bin = path.join(dir, "bin");
  mkdirSync(bin);
  const stub = `#!/usr/bin/env bash
set -euo pipefail
case "$1 $2" in
  "config default") cat ${JSON.stringify(path.join(fixtures, defaultConfig))} ;;
  "config dump") if [ -n "\${DUMP_IGNORES_EDITS:-}" ]; then cat ${JSON.stringify(path.join(fixtures, defaultConfig))}; else cat "$CONFIG_FILE"; fi ;;
  *) echo "stub containerd: unexpected arguments: $*" >&2; exit 2 ;;
esac
`;
  writeFileSync(path.join(bin, "containerd"), stub);
  chmodSync(path.join(bin, "containerd"), 0o755);
}

function run(defaultConfig: string, settings: ContainerdSettings, env: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), "containerd-config-"));
  stubContainerd(dir, defaultConfig);
  const config = path.join(dir, "config.toml");
  const script = `set -euo pipefail
${containerdConfigFunctions}
config=${JSON.stringify(config)}
write_default_config
${containerdConfigCommands(settings)}`;
  const result = spawnSync("bash", ["-c", script], {
    encoding: "utf8",
    env: {
      ...process.env,
      PATH: `${path.join(dir, "bin")}:${process.env.PATH ?? ""}`,
      CONFIG_FILE: config,
      ...env,
    },
  });
  return { ...result, config: readFileSync(config, "utf8") };
}

const kubeNode: ContainerdSettings = {
  systemdCgroup: true,
  sandboxImage: "registry.k8s.io/pause:3.9",
  runcBinary: "/usr/local/sbin/runc",
};

describe("the containerd-config step's commands with a stub containerd printing recorded defaults", () => {
  it.each([
    [
      "containerd-1.6.20-bookworm.config-default.toml",
      /\n\s+sandbox_image = "registry\.k8s\.io\/pause:3\.9"\n/,
    ],
    [
      "containerd-1.7.24-trixie.config-default.toml",
      /\n\s+sandbox_image = "registry\.k8s\.io\/pause:3\.9"\n/,
    ],
    ["containerd-2.1.9-sid.config-default.toml", /\n\s+sandbox = "registry\.k8s\.io\/pause:3\.9"\n/],
    [
      "containerd-2.1.9-sid.config-default.without-systemdcgroup.toml",
      /\n\s+sandbox = "registry\.k8s\.io\/pause:3\.9"\n/,
    ],
  ])("%s: picks the tables of its config version, edits and verifies them", (file, sandboxLine) => {
    const r = run(file, kubeNode);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.config).toMatch(/\n\s+SystemdCgroup = true\n/);
    expect(r.config).toMatch(/\n\s+BinaryName = "\/usr\/local\/sbin\/runc"\n/);
    expect(r.config).toMatch(sandboxLine);
    expect(r.stdout).toContain("SystemdCgroup = true");
  });

  it("fails with a message naming the key and table when config dump does not show the edit", () => {
    const r = run("containerd-1.7.24-trixie.config-default.toml", kubeNode, { DUMP_IGNORES_EDITS: "1" });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `containerd config dump shows SystemdCgroup = 'false' in [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options], expected 'true'`,
    );
  });

  it("leaves what a runtime-only scenario does not name as containerd prints it", () => {
    const r = run("containerd-1.7.24-trixie.config-default.toml", {
      systemdCgroup: null,
      sandboxImage: null,
      runcBinary: "/usr/local/sbin/runc",
    });
    expect(r.status).toBe(0);
    expect(r.config).toMatch(/\n\s+SystemdCgroup = false\n/);
    expect(r.config).toMatch(/\n\s+sandbox_image = "registry\.k8s\.io\/pause:3\.8"\n/);
  });
});

describe("containerdSettings", () => {
  const runtimeOnly = (containerd: Record<string, unknown>): ScenarioInput => ({
    name: "t",
    description: "t",
    image: "debian-13",
    nodes: [{ name: "node1", role: "standalone" }],
    runtime: { kind: "containerd", containerd: { source: { from: "distro" }, ...containerd } },
    observe: { probes: [{ name: "p", kind: "sysctl", key: "kernel.ostype" }] },
    expect: { verdict: "healthy", checks: [{ probe: "p" }] },
  });
  it.each([
    {
      name: "Kubernetes 1.30 node: systemd cgroups and kubeadm's pause image",
      input: kubeScenario(),
      settings: { systemdCgroup: true, sandboxImage: "registry.k8s.io/pause:3.9", runcBinary: null },
    },
    {
      name: "Kubernetes 1.31 node: pause 3.10",
      input: kubeScenario({ kubernetes: { version: "1.31.1" } }),
      settings: { systemdCgroup: true, sandboxImage: "registry.k8s.io/pause:3.10", runcBinary: null },
    },
    {
      name: "Kubernetes node with an explicit cgroupfs choice and a release runc",
      input: kubeScenario({
        runtime: {
          kind: "containerd",
          containerd: { source: { from: "distro" }, systemdCgroup: false },
          runc: { source: { from: "release", version: "1.1.14" } },
        },
      }),
      settings: {
        systemdCgroup: false,
        sandboxImage: "registry.k8s.io/pause:3.9",
        runcBinary: "/usr/local/sbin/runc",
      },
    },
    {
      name: "runtime-only, nothing named: the distro config is left alone",
      input: runtimeOnly({}),
      settings: null,
    },
    {
      name: "runtime-only with systemdCgroup named",
      input: runtimeOnly({ systemdCgroup: true }),
      settings: { systemdCgroup: true, sandboxImage: null, runcBinary: null },
    },
  ])("$name", ({ input, settings }) => {
    expect(containerdSettings(recipeContext(input).scenario)).toEqual(settings);
  });
});
