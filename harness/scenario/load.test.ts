import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ScenarioError } from "../errors.ts";
import { loadScenario } from "./load.ts";

const fixtures = path.join(import.meta.dirname, "fixtures");

async function problems(file: string): Promise<string[]> {
  try {
    await loadScenario(file);
  } catch (err) {
    if (err instanceof ScenarioError) return err.message.split("\n");
    throw err;
  }
  throw new Error(`${file} loaded without errors`);
}

async function tempScenario(text: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "harness-load-"));
  const file = path.join(dir, "s.yaml");
  await writeFile(file, text);
  return file;
}

describe("loadScenario", () => {
  it("loads a minimal valid scenario and applies defaults", async () => {
    const { scenario } = await loadScenario(path.join(fixtures, "valid-minimal.yaml"));
    expect(scenario.name).toBe("fixture");
    expect(scenario.kubernetes).toBe("none");
    expect(scenario.nodes[0]).toMatchObject({ cpus: 2, memory: "2G", disk: "10G" });
    expect(scenario.steps[0]).toMatchObject({ timeout: "5m", retries: 0, expectFailure: false });
    expect(scenario.observe).toMatchObject({ duration: "60s", interval: "5s" });
  });

  it("reports every problem at once, each at file:line:col", async () => {
    const file = await tempScenario(
      [
        "name: Bad_Name",
        "description: x",
        "image: debian-13",
        "nodes:",
        "  - name: n1",
        "    role: boss",
        "runtime: {}",
        "expect: {verdict: healthy}",
      ].join("\n"),
    );
    const lines = await problems(file);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${file}:1:7: name: must be`)),
        expect.stringMatching(
          new RegExp(`^${file}:6:11: nodes\\[0\\]\\.role: expected one of control-plane, worker, standalone`),
        ),
        expect.stringMatching(
          new RegExp(`^${file}:7:10: runtime\\.kind: expected one of containerd, docker, docker-cri-dockerd`),
        ),
        expect.stringMatching(new RegExp(`^${file}:8:9: expect\\.checks: is required`)),
      ]),
    );
  });

  it("refuses files over 1 MB before parsing them (a generated 5 MB file)", async () => {
    const file = await tempScenario(`name: big\ndescription: "${"x".repeat(5 * 1024 * 1024)}"\n`);
    expect(await problems(file)).toEqual([`${file}:1:1: file is 5.0 MB; scenario files are limited to 1 MB`]);
  });

  it("refuses a FIFO, a link to /dev/zero and a directory without reading them (no hang, no huge read)", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "scenario-special-"));
    execFileSync("mkfifo", [path.join(dir, "fifo.yaml")]);
    await symlink("/dev/zero", path.join(dir, "zero.yaml"));
    await mkdir(path.join(dir, "dir.yaml"));
    for (const name of ["fifo.yaml", "dir.yaml"])
      expect(await problems(path.join(dir, name))).toEqual([
        `${path.join(dir, name)}:1:1: is not a regular file (a directory, a device or a FIFO): give the path of a scenario's .yaml file`,
      ]);
    expect(await problems(path.join(dir, "zero.yaml"))).toEqual([
      `${path.join(dir, "zero.yaml")}:1:1: is a link to /dev/zero, outside its folder: give the scenario file itself, or pass --allow-host-files`,
    ]);
  });

  it("reads no file through a link that leaves the scenario's folder (its values would be quoted in errors)", async () => {
    const outside = await mkdtemp(path.join(tmpdir(), "scenario-secret-"));
    await writeFile(path.join(outside, "config.yaml"), "image: s3cret-value\n");
    const dir = await mkdtemp(path.join(tmpdir(), "scenario-links-"));
    await symlink(path.join(outside, "config.yaml"), path.join(dir, "evil.yaml"));
    const refused = (await problems(path.join(dir, "evil.yaml"))).join("\n");
    expect(refused).toContain("outside its folder");
    expect(refused).not.toContain("s3cret");
    await writeFile(path.join(dir, "real.yaml"), "image: s3cret-value\n");
    await symlink(path.join(dir, "real.yaml"), path.join(dir, "inside.yaml"));
    expect((await problems(path.join(dir, "inside.yaml"))).join("\n")).toContain("name: is required");
  });

  it("says when the file does not exist", async () => {
    expect(await problems("/nonexistent/scenario.yaml")).toEqual([
      "/nonexistent/scenario.yaml:1:1: file not found or not readable",
    ]);
  });

  it("suggests the closest key for a misspelt key and the closest value for a misspelt enum", async () => {
    const file = await tempScenario(
      (await import("node:fs"))
        .readFileSync(path.join(fixtures, "valid-minimal.yaml"), "utf8")
        .replace("    role: standalone", "    role: standalon\n    cpu: 2"),
    );
    const lines = await problems(file);
    expect(lines).toContain(
      `${file}:6:11: nodes[0].role: expected one of control-plane, worker, standalone, got string "standalon" (did you mean "standalone"?)`,
    );
    expect(lines).toContain(`${file}:7:5: nodes[0].cpu: unknown key "cpu" (did you mean "cpus"?)`);
  });
});
