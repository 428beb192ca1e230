// The fresh-machine rule, checked: every program the code or its tests spawn by name is installed by
// scripts/setup-host.sh and named by `harness doctor`, or is part of every Debian system, or belongs to a provider
// that checks for it itself.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../scenario/catalog.ts";
import { hostTools } from "./doctor-report.ts";

/** Programs of Debian's Essential packages (always installed), with their package. */
const essential = new Map([
  ["bash", "bash"],
  ["sh", "dash"],
  ["cat", "coreutils"],
  ["mkdir", "coreutils"],
  ["touch", "coreutils"],
  ["sleep", "coreutils"],
  ["true", "coreutils"],
  ["uname", "coreutils"],
  ["du", "coreutils"],
  ["mkfifo", "coreutils"],
  ["umount", "mount"],
  ["dpkg", "dpkg"],
  ["dpkg-deb", "dpkg"],
  ["tar", "tar"],
]);

/** Programs only their own provider runs, after checking for them (doctor's providers section says which work). */
const providerTools = new Map([
  ["vagrant", "the vagrant provider; setup-host.sh --with-vagrant installs it"],
  ["virsh", "the vagrant-libvirt test; setup-host.sh --with-vagrant installs libvirt"],
  ["VBoxManage", "the vagrant provider's VirtualBox check; not installable from Debian's archive"],
]);

/** Names in spawn calls that are not programs to install. */
const notPrograms = new Map([
  ["node", "the Node.js that runs the harness"],
  ["h-20261123-000000-bbbbbb-cp", "a stand-in process name in the QEMU run-state test"],
  ["no-such-tool-here", "the test of a missing tool's error"],
]);

/** `"name"` as the first argument of execa, runTool, spawn, spawnSync, execFile or execFileSync. */
const spawnCall =
  /\b(?:execa|execaSync|runTool|spawn|spawnSync|execFile|execFileSync)\(\s*"([A-Za-z0-9._+-]+)"/g;

function spawnedPrograms(): Map<string, string[]> {
  const files = execFileSync("git", ["ls-files", "harness/**/*.ts", "bench/*.ts", "bin/*"], {
    cwd: repoRoot,
    encoding: "utf8",
  })
    .trim()
    .split("\n");
  const found = new Map<string, string[]>();
  for (const file of files)
    for (const m of readFileSync(path.join(repoRoot, file), "utf8").matchAll(spawnCall))
      if (m[1] !== undefined) found.set(m[1], [...(found.get(m[1]) ?? []), file]);
  return found;
}

/** The packages of setup-host.sh's `packages=( ... )` list (both the default and the --with-vagrant ones). */
function setupHostPackages(): Set<string> {
  const script = readFileSync(path.join(repoRoot, "scripts", "setup-host.sh"), "utf8");
  const list = /^packages=\(\n([\s\S]*?)^\)/m.exec(script)?.[1] ?? "";
  const extra = [...script.matchAll(/packages\+=\(([^)]*)\)/g)].map((m) => m[1] ?? "").join(" ");
  const words = `${list.replace(/#.*$/gm, "")} ${extra}`.split(/\s+/).filter((w) => w !== "");
  return new Set(words);
}

describe("host tools (the fresh-machine rule)", () => {
  const spawned = spawnedPrograms();
  const doctor = new Map(hostTools.map((t) => [t.command, t.package]));
  const packages = setupHostPackages();

  it("finds the spawn calls it checks (the scan works)", () => {
    expect(spawned.get("genisoimage")).toContain("harness/providers/qemu/cloud-init-seed.ts");
    expect(spawned.get("qemu-img")).toBeDefined();
    expect(packages.has("qemu-system-x86")).toBe(true);
  });

  it("every program the code or the tests spawn by name is known to doctor, Essential, or a provider's own", () => {
    const unknown = [...spawned]
      .filter(([p]) => !doctor.has(p) && !essential.has(p) && !providerTools.has(p) && !notPrograms.has(p))
      .map(([p, files]) => `${p} (spawned in ${files.join(", ")})`);
    expect(unknown, "add these to hostTools in doctor-report.ts and to scripts/setup-host.sh").toEqual([]);
  });

  it("setup-host.sh installs the package of every tool doctor checks", () => {
    const essentialPackages = new Set(essential.values());
    const missing = hostTools
      .filter((t) => !packages.has(t.package) && !essentialPackages.has(t.package))
      .map((t) => `${t.command}: ${t.package}`);
    expect(missing, "add these packages to scripts/setup-host.sh").toEqual([]);
  });
});
