import { mkdtempSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ScenarioError } from "../errors.ts";
import { loadScenario } from "./load.ts";

const fixture = readFileSync(
  path.join(import.meta.dirname, "fixtures", "invalid", "local-file-not-there.yaml"),
  "utf8",
);

/** A scenario folder (and a file outside it) under a fresh temporary folder; the scenario's runc is `runcPath`. */
function layout(runcPath: (root: string) => string): { root: string; scenario: string } {
  const root = mkdtempSync(path.join(tmpdir(), "harness-local-files-"));
  mkdirSync(path.join(root, "scenario"));
  writeFileSync(path.join(root, "outside-runc"), "#!/bin/sh\n");
  writeFileSync(path.join(root, "scenario", "runc"), "#!/bin/sh\n");
  const scenario = path.join(root, "scenario", "s.yaml");
  writeFileSync(scenario, fixture.replace("path: no-such-runc", `path: ${runcPath(root)}`));
  return { root, scenario };
}

async function problem(file: string, options = {}): Promise<string | null> {
  try {
    await loadScenario(file, options);
    return null;
  } catch (err) {
    if (!(err instanceof ScenarioError)) throw err;
    return err.message;
  }
}

describe("from: file sources stay inside the scenario's folder unless --allow-host-files (real files and links)", () => {
  it("accepts a file next to the scenario", async () => {
    const { scenario } = layout(() => "./runc");
    expect(await problem(scenario)).toBeNull();
  });

  it("refuses an absolute path outside the folder at the field's line and column, and accepts it with the flag", async () => {
    const { root, scenario } = layout((r) => path.join(r, "outside-runc"));
    const message = await problem(scenario);
    expect(message).toContain(`${scenario}:15:13: runtime.runc.source.path:`);
    expect(message).toContain(`${path.join(root, "outside-runc")} is outside the scenario's folder`);
    expect(message).toContain("--allow-host-files");
    expect(await problem(scenario, { allowHostFiles: true })).toBeNull();
  });

  it("follows links: a link inside the folder to a host file is outside it", async () => {
    const { root, scenario } = layout(() => "./link-to-shadow");
    symlinkSync(path.join(root, "outside-runc"), path.join(root, "scenario", "link-to-shadow"));
    expect(await problem(scenario)).toContain(
      `${path.join(root, "outside-runc")} is outside the scenario's folder`,
    );
  });

  it("accepts an absolute path that leads into the scenario's own folder", async () => {
    const { scenario } = layout((r) => path.join(r, "scenario", "runc"));
    expect(await problem(scenario)).toBeNull();
  });
});
