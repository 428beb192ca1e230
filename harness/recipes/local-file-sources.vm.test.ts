// Real Debian 13 guest: containerd and runc installed from local files next to a scenario (the `file` sources), with
// containerd's runc BinaryName pointed at the uploaded binary. The files come from Debian's own packages, fetched and
// verified through the artifact cache (containerd 1.6.20 from bookworm as a .deb; runc's binary taken out of trixie's .deb).
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { aptRepositories } from "../artifacts/apt-repositories.ts";
import { resolveArtifacts } from "../artifacts/resolve-artifacts.ts";
import { repoRoot } from "../scenario/catalog.ts";

describe("containerd and runc from local files (real Debian 13 guest, qemu provider)", () => {
  it("installs both, points BinaryName at the local runc, and runs a container with it", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "harness-local-files-"));
    const debs = await resolveArtifacts([
      {
        kind: "apt-package",
        key: "containerd",
        repo: aptRepositories["debian-bookworm"],
        package: "containerd",
        version: "1.6.20~ds1-1+deb12u*",
        arch: "amd64",
      },
      {
        kind: "apt-package",
        key: "runc",
        repo: aptRepositories["debian-trixie"],
        package: "runc",
        version: "*",
        arch: "amd64",
      },
    ]);
    copyFileSync(debs.containerd!.path, path.join(dir, "containerd.deb"));
    execFileSync("dpkg-deb", ["-x", debs.runc!.path, path.join(dir, "runc-deb")]);
    copyFileSync(path.join(dir, "runc-deb", "usr", "sbin", "runc"), path.join(dir, "runc"));
    const sha256Of = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");
    writeFileSync(
      path.join(dir, "scenario.yaml"),
      readFileSync(path.join(import.meta.dirname, "fixtures", "local-file-sources", "scenario.yaml"), "utf8")
        .replace("0".repeat(64), sha256Of(path.join(dir, "containerd.deb")))
        .replace("1".repeat(64), sha256Of(path.join(dir, "runc"))),
    );

    const results = path.join(dir, "results");
    const run = spawnSync(
      process.execPath,
      [
        path.join(repoRoot, "bin", "harness.js"),
        "run",
        path.join(dir, "scenario.yaml"),
        "--results",
        results,
      ],
      { encoding: "utf8", env: { ...process.env, CI: "true", NO_COLOR: "1" } },
    );
    const [runDir] = readdirSync(path.join(results, "local-file-sources"));
    const record = JSON.parse(
      readFileSync(path.join(results, "local-file-sources", runDir!, "run.json"), "utf8"),
    ) as {
      verdict: string;
      checks: { name: string; holds: boolean }[];
    };
    expect(record.verdict, `${run.stdout}\n${run.stderr}`).toBe("healthy");
    expect(run.status).toBe(0);
  });
});
