// `harness attach` through the CLI against a local fake GitHub API: output, exit codes, and no token leaks (the
// last as a real child process, so stderr is exactly what a user sees).
import { runCliInProcess } from "../testing/run-cli-in-process.ts";
import path from "node:path";
import { execa } from "execa";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeGithubApi } from "../../github/testing/fake-github-api.ts";
import { removeTempDirs, writeRunDir } from "../../github/testing/run-dir-fixture.ts";
import { repoRoot } from "../../scenario/catalog.ts";

const token = `ghp_${"S3cr3t".repeat(7)}`;
const bin = path.join(repoRoot, "bin", "harness.js");
let api: FakeGithubApi;
let runDir: string;

beforeEach(async () => {
  api = await new FakeGithubApi({ token, repositories: ["acme/nodes"] }).start();
  api.addIssue("acme/nodes", { number: 7 });
  runDir = await writeRunDir();
});
afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  await api.stop();
});

async function harness(args: string[], env: Record<string, string | undefined> = { GITHUB_TOKEN: token }) {
  const result = await execa(process.execPath, [bin, ...args], {
    cwd: repoRoot,
    env: { NO_COLOR: "1", GITHUB_TOKEN: undefined, GH_TOKEN: undefined, ...env },
    reject: false,
    timeout: 60_000,
  });
  return { code: result.exitCode, stdout: result.stdout, stderr: result.stderr };
}

describe("harness attach", () => {
  it("posts a comment and prints its URL (real process)", async () => {
    const r = await harness(["attach", runDir, "--issue", "acme/nodes#7", "--api-url", api.url]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^created comment: https:\/\/github\.test\/acme\/nodes\/issues\/7#issuecomment-\d+$/,
    );
    expect(api.issues.get("acme/nodes#7")?.comments).toHaveLength(1);
  });

  it("prints the body with --dry-run and no token", async () => {
    const r = await runCliInProcess(["attach", runDir, "--issue", "acme/nodes#7", "--dry-run", "--gist"], {
      withoutTokens: true,
    });
    expect(r.stderr).toBe("note: --dry-run uploads no gist; the posted comment would link one\n");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("<!-- k8s-node-harness:attach cell=debian13-containerd16-apparmor -->");
    expect(api.requests).toHaveLength(0);
  });

  it.each([
    ["a wrong issue reference", ["--issue", "acme/nodes"], 'error: "acme/nodes" is not an issue reference'],
    [
      "a bad --api-url",
      ["--issue", "acme/nodes#7", "--api-url", "file:///etc"],
      "error: --api-url file:///etc: only http and https",
    ],
    [
      "an --api-url in plain http to another host (the token would travel in clear)",
      ["--issue", "acme/nodes#7", "--api-url", "http://api.github.example"],
      "error: --api-url http://api.github.example: plain http would send the token in clear",
    ],
    ["a missing run.json", ["--issue", "acme/nodes#7", "--dry-run"], "holds no run.json"],
  ])("exits 2 on %s", async (_name, args, message) => {
    const dir = message.includes("run.json") ? repoRoot : runDir;
    const r = await runCliInProcess(["attach", dir, ...args], { withoutTokens: true });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it.each([
    [
      "401 (the fake accepts another token)",
      { token: "ghp_the_fake_wants_this_one_0000000000000" },
      "GitHub rejected the token",
    ],
    ["403 (no issues permission)", { canWriteIssues: false }, "the token may not comment on acme/nodes#7"],
    ["404 (a repository the token cannot see)", { repositories: [] }, "GitHub found no issue acme/nodes#7"],
  ])(
    "keeps the token out of stderr and stdout on %s, even with --verbose (real process, stack traces)",
    async (_name, setup, message) => {
      Object.assign(api.options, setup);
      const r = await harness([
        "attach",
        runDir,
        "--issue",
        "acme/nodes#7",
        "--gist",
        "--api-url",
        api.url,
        "--verbose",
      ]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain("hint: ");
      expect(r.stderr).toContain("    at ");
      expect(`${r.stdout}${r.stderr}`).not.toContain(token);
      expect(`${r.stdout}${r.stderr}`).not.toContain(token.slice(4, 20));
    },
  );
});

afterAll(removeTempDirs);
