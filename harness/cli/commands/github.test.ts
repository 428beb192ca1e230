// `harness github track-issue` through the CLI against a local fake GitHub API (real child processes where the
// exact output matters).
import { runCliInProcess } from "../testing/run-cli-in-process.ts";
import path from "node:path";
import { execa } from "execa";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeGithubApi } from "../../github/testing/fake-github-api.ts";
import {
  removeTempDirs,
  sampleRunRecord,
  tempDir,
  writeRunDir,
} from "../../github/testing/run-dir-fixture.ts";
import { repoRoot } from "../../scenario/catalog.ts";

const token = `ghs_${"nightly".repeat(6)}`;
const bin = path.join(repoRoot, "bin", "harness.js");
const matrix = JSON.stringify({
  include: [
    { scenario: "a", cell: "debian13-containerd16-apparmor", name: "x" },
    { scenario: "b", cell: "never-ran", name: "y" },
  ],
});
let api: FakeGithubApi;
let results: string;

beforeEach(async () => {
  api = await new FakeGithubApi({ token, repositories: ["acme/nodes"] }).start();
  results = await tempDir("harness-results-");
  await writeRunDir({ parent: results, record: sampleRunRecord() });
});
afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  await api.stop();
});

const harness = (args: string[], env: Record<string, string | undefined> = { GITHUB_TOKEN: token }) =>
  execa(process.execPath, [bin, ...args], {
    cwd: repoRoot,
    env: { NO_COLOR: "1", GITHUB_TOKEN: undefined, GH_TOKEN: undefined, ...env },
    reject: false,
    timeout: 60_000,
  });

describe("harness github track-issue", () => {
  it("opens the tracking issue, counting a planned cell without results as failing (real process)", async () => {
    const r = await harness([
      "github",
      "track-issue",
      results,
      "--repo",
      "acme/nodes",
      "--matrix",
      matrix,
      "--run-url",
      "https://github.test/run/5",
      "--api-url",
      api.url,
    ]);
    expect(r.stderr).toBe("");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(
      "opened acme/nodes#1: nightly: 1 of 2 scenario cells fail (https://github.test/acme/nodes/issues/1)",
    );
    expect(api.issues.get("acme/nodes#1")?.body).toContain("| `never-ran` | ? | no result | ❌ no |");
  });

  it("prints title and body with --dry-run and no token", async () => {
    const r = await runCliInProcess(["github", "track-issue", results, "--repo", "acme/nodes", "--dry-run"], {
      withoutTokens: true,
    });
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe("nightly: all 1 scenario cells pass");
    expect(r.stdout).toContain("<!-- k8s-node-harness:tracking nightly -->");
    expect(api.requests).toHaveLength(0);
  });

  it("rejects a bad repository name before any request", async () => {
    const r = await runCliInProcess(
      ["github", "track-issue", results, "--repo", "acme/../x", "--api-url", api.url],
      { withoutTokens: true },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: "acme/../x" is not a repository reference');
    expect(api.requests).toHaveLength(0);
  });

  it("keeps the token out of the output when GitHub refuses it (real process)", async () => {
    api.options.token = "ghs_some_other_token_the_fake_wants_0000";
    const r = await harness([
      "github",
      "track-issue",
      results,
      "--repo",
      "acme/nodes",
      "--api-url",
      api.url,
      "--verbose",
    ]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(
      "GitHub rejected the token while trying to update the tracking issue in acme/nodes",
    );
    expect(`${r.stdout}${r.stderr}`).not.toContain(token);
  });
});

afterAll(removeTempDirs);
