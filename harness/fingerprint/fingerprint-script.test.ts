import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fingerprintScript } from "./fingerprint-script.ts";
import { parseFingerprint } from "./parse-fingerprint.ts";

const containerd1xDump = `version = 2
[plugins]
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
    runtime_type = "io.containerd.runc.v2"
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
    BinaryName = ""
    SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.kata.options]
    SystemdCgroup = true
`;
const containerd2xDump = `version = 3
[plugins]
  [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
    SystemdCgroup = true
`;

/** Stub tools printing what the real ones print (forms from their sources and bugs.md; not recorded on a node). */
function stubs(dump: string): Record<string, string> {
  return {
    containerd: `#!/bin/sh
case "$1" in
  --version) echo "containerd github.com/containerd/containerd v1.7.24 88bf19b2105c8b17560993bee28a01ddc2f97182" ;;
  config) cat <<'DUMP'
${dump}DUMP
  ;;
esac`,
    runc: `#!/bin/sh
printf 'runc version 1.0.0-rc93\\ncommit: 12644e614e25b05da6fd08a38ffa0cfe1903fdec\\nspec: 1.0.2-dev\\ngo: go1.13.15\\nlibseccomp: 2.5.1\\n'`,
    "cri-dockerd": `#!/bin/sh
echo "cri-dockerd 0.3.4 (e88b1605)" >&2`,
    docker: "#!/bin/sh\nexit 1",
    kubelet: '#!/bin/sh\necho "Kubernetes v1.30.4"',
    kubeadm: '#!/bin/sh\necho "v1.30.4"',
    "dpkg-query": `#!/bin/sh
pkg="$3"
case "$pkg" in
  containerd) printf 'ii |1.7.24~ds1-6+b1' ;;
  runc) printf 'rc |1.1.15+ds1-2' ;;
  *) echo "dpkg-query: no packages found matching $pkg" >&2; exit 1 ;;
esac`,
  };
}

describe("fingerprint.sh", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "fingerprint-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("passes shellcheck", async () => {
    const { exitCode, stdout } = await execa("shellcheck", ["-"], {
      input: fingerprintScript,
      reject: false,
    });
    expect(stdout).toBe("");
    expect(exitCode).toBe(0);
  });

  it("runs on this host and its output parses", async () => {
    const before = Date.now();
    const { stdout } = await execa("bash", ["-c", fingerprintScript]);
    const fp = parseFingerprint(stdout);
    expect(fp.kernel.release).toBe((await execa("uname", ["-r"])).stdout);
    expect(fp.machineId).toBe(readFileSync("/etc/machine-id", "utf8").trim());
    expect(fp.guestClock! * 1000).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
  });

  it.each([
    { name: "containerd 1.x config", dump: containerd1xDump, driver: "cgroupfs" },
    { name: "containerd 2.x config", dump: containerd2xDump, driver: "systemd" },
    { name: "config without the key", dump: "version = 2\n", driver: null },
  ])(
    "reads tool versions and the cgroup driver of a $name (stub tools on PATH)",
    async ({ dump, driver }) => {
      const bin = path.join(dir, driver ?? "none");
      await execa("mkdir", ["-p", bin]);
      for (const [name, body] of Object.entries(stubs(dump)))
        await writeFile(path.join(bin, name), `${body}\n`, { mode: 0o755 });
      const { stdout } = await execa("bash", ["-c", fingerprintScript], {
        env: { PATH: `${bin}:/usr/bin:/bin:/usr/sbin:/sbin` },
        extendEnv: false,
      });
      const fp = parseFingerprint(stdout);
      expect(fp.versions).toEqual({
        containerd: "1.7.24",
        runc: "1.0.0-rc93",
        docker: null,
        criDockerd: "0.3.4",
        kubelet: "1.30.4",
        kubeadm: "1.30.4",
      });
      expect(fp.runc).toEqual({
        path: path.join(bin, "runc"),
        commit: "12644e614e25b05da6fd08a38ffa0cfe1903fdec",
      });
      expect(fp.versionOutputs["runc --version"]).toBe(
        "runc version 1.0.0-rc93\ncommit: 12644e614e25b05da6fd08a38ffa0cfe1903fdec\nspec: 1.0.2-dev\ngo: go1.13.15\nlibseccomp: 2.5.1",
      );
      expect(fp.packages).toEqual({ containerd: "1.7.24~ds1-6+b1" });
      expect(fp.cgroupDriver.containerd).toBe(driver);
    },
  );
});
