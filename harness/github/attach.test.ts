import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { HarnessError } from "../errors.ts";
import { attachRun, type AttachRequest } from "./attach.ts";
import { attachBodyTarget } from "./comment-body.ts";
import { attachMarker } from "./comment-marker.ts";
import { githubCommentLimit } from "./comment-limit.ts";
import { FakeGithubApi } from "./testing/fake-github-api.ts";
import { parseIssueReference } from "./issue-reference.ts";
import { removeTempDirs, writeRunDir } from "./testing/run-dir-fixture.ts";

const token = `ghp_${"T0k3n".repeat(8)}`;
const cell = "debian13-containerd16-apparmor";
let api: FakeGithubApi;

beforeEach(async () => {
  api = await new FakeGithubApi({ token, repositories: ["acme/nodes"] }).start();
  api.addIssue("acme/nodes", { number: 7 });
});
afterEach(async () => {
  await api.stop();
});

async function attach(overrides: Partial<AttachRequest> = {}) {
  return attachRun({
    runDir: await writeRunDir(),
    issue: parseIssueReference("acme/nodes#7"),
    gist: false,
    update: false,
    dryRun: false,
    apiUrl: api.url,
    env: { GITHUB_TOKEN: token },
    client: { retries: 1, retryAfterBaseValue: 1, writeSpacingMs: 0, warn: () => undefined },
    ...overrides,
  });
}

async function failure(overrides: Partial<AttachRequest> = {}): Promise<HarnessError> {
  const err: unknown = await attach(overrides).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof HarnessError)) throw new Error(`expected a HarnessError, got ${String(err)}`);
  return err;
}

const comments = () => api.issues.get("acme/nodes#7")?.comments ?? [];

describe("attachRun against a local fake GitHub API", () => {
  it("creates one comment carrying the hidden marker, sent with the token", async () => {
    const result = await attach();
    expect(result.action).toBe("created");
    expect(result.commentUrl).toMatch(/^https:\/\/github\.test\/acme\/nodes\/issues\/7#issuecomment-\d+$/);
    expect(comments()).toHaveLength(1);
    expect(comments()[0]?.body).toBe(result.body);
    expect(result.body.startsWith(attachMarker(cell))).toBe(true);
    const post = api.requests.find((r) => r.method === "POST");
    expect(post?.path).toBe("/repos/acme/nodes/issues/7/comments");
    expect(post?.authorization).toBe(`token ${token}`);
  });

  it("with --update edits the previous harness comment for the cell instead of adding one", async () => {
    api.issues
      .get("acme/nodes#7")
      ?.comments.push(
        { id: 1, body: `${attachMarker(cell)}\nold result`, user: { login: "harness-bot" } },
        { id: 2, body: "a human comment", user: { login: "someone" } },
        { id: 3, body: `${attachMarker("other-cell")}\nother`, user: { login: "harness-bot" } },
      );
    const result = await attach({ update: true });
    expect(result.action).toBe("updated");
    expect(comments().map((c) => c.id)).toEqual([1, 2, 3]);
    expect(comments()[0]?.body).toBe(result.body);
    expect(comments()[2]?.body).toContain("other");
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /repos/acme/nodes/issues/7/comments",
      "PATCH /repos/acme/nodes/issues/comments/1",
    ]);
  });

  it("with --update finds the marker past the first page of comments", async () => {
    const issue = api.issues.get("acme/nodes#7");
    for (let i = 1; i <= 130; i += 1)
      issue?.comments.push({
        id: i,
        body: i === 120 ? attachMarker(cell) : `comment ${i}`,
        user: { login: "x" },
      });
    const result = await attach({ update: true });
    expect(result.action).toBe("updated");
    expect(issue?.comments[119]?.body).toBe(result.body);
  });

  it("with --update and no previous comment adds one and says so", async () => {
    const result = await attach({ update: true });
    expect(result.action).toBe("created");
    expect(result.note).toBe(`no earlier harness comment for ${cell} on acme/nodes#7; added a new one`);
  });

  it("with --gist creates a secret gist of the logs and timeline.html and links it", async () => {
    const result = await attach({ gist: true });
    expect(api.gists).toHaveLength(1);
    const gist = api.gists[0];
    expect(gist?.public).toBe(false);
    expect(Object.keys(gist?.files ?? {}).sort()).toEqual([
      "logs__node1__dmesg.log",
      "logs__node1__journal.log",
      "run.json",
      "summary.md",
      "timeline.html",
    ]);
    expect(result.gistUrl).toBe(`https://gist.github.test/${gist?.id}`);
    expect(result.body).toContain(`[secret gist](${result.gistUrl})`);
  });

  it("keeps the body under its target with huge logs, and the fake enforces GitHub's limit as GitHub does", async () => {
    const big = Array.from({ length: 30_000 }, (_, i) => `kubelet line ${i}`).join("\n");
    const runDir = await writeRunDir({ logs: { "node1/kubelet.log": big, "node1/containerd.log": big } });
    const result = await attach({ runDir });
    expect(result.action).toBe("created");
    expect(result.body.length).toBeLessThanOrEqual(githubCommentLimit);
    expect(result.body.length).toBeLessThanOrEqual(attachBodyTarget);
    expect(result.body).toContain(
      "Trimmed to keep the comment near 40,000 characters (GitHub allows 65,536)",
    );
  });

  it("prints the body with --dry-run without a token or any request", async () => {
    const result = await attach({ dryRun: true, env: {}, gist: true });
    expect(result.action).toBe("printed");
    expect(result.body).toContain(attachMarker(cell));
    expect(result.note).toContain("--dry-run uploads no gist");
    expect(api.requests).toHaveLength(0);
  });

  it("asks for a token when none is set", async () => {
    const err = await failure({ env: {} });
    expect(err.message).toBe("no GitHub token: neither GITHUB_TOKEN nor GH_TOKEN is set");
    expect(err.hint).toContain("--dry-run");
  });

  it("uses GH_TOKEN when GITHUB_TOKEN is not set", async () => {
    expect((await attach({ env: { GH_TOKEN: token } })).action).toBe("created");
  });

  it.each([
    {
      name: "401 on a wrong token",
      setup: {},
      request: { env: { GITHUB_TOKEN: "ghp_wrongwrongwrongwrongwrongwrongwrong1" } },
      code: "GITHUB_UNAUTHORIZED",
      message: "GitHub rejected the token while trying to read acme/nodes#7 (401: Bad credentials)",
      hint: "set GITHUB_TOKEN or GH_TOKEN to a valid token",
    },
    {
      name: "403 without issues permission",
      setup: { canWriteIssues: false },
      request: {},
      code: "GITHUB_FORBIDDEN",
      message:
        "the token may not comment on acme/nodes#7 (403: Resource not accessible by personal access token); GitHub accepts the permissions issues=write; pull_requests=write",
      hint: 'give the token "Issues: read and write"',
    },
    {
      name: "403 without gist permission",
      setup: { canWriteGists: false },
      request: { gist: true },
      code: "GITHUB_FORBIDDEN",
      message: "the token may not create a secret gist with the run's logs",
      hint: 'give the token "Gists: read and write" (fine-grained token) or the gist scope',
    },
    {
      name: "404 on a wrong issue number",
      setup: {},
      request: { issue: parseIssueReference("acme/nodes#8") },
      code: "GITHUB_NOT_FOUND",
      message: "GitHub found no issue acme/nodes#8 while trying to read acme/nodes#8 (404: Not Found)",
      hint: "check the reference",
    },
    {
      name: "404 on a repository the token cannot see",
      setup: {},
      request: { issue: parseIssueReference("acme/secret#7"), update: true },
      code: "GITHUB_NOT_FOUND",
      message: "GitHub found no issue acme/secret#7 while trying to read the comments of acme/secret#7",
      hint: "cannot see a private repository",
    },
  ])("explains $name", async ({ setup, request, code, message, hint }) => {
    Object.assign(api.options, setup);
    const err = await failure(request);
    expect(err.code).toBe(code);
    expect(err.message).toContain(message);
    expect(err.hint).toContain(hint);
    expect(`${err.message}\n${err.hint}`).not.toContain(token);
  });

  it("checks the issue before making a gist, and names a gist made before the comment failed", async () => {
    const wrong = await failure({ gist: true, issue: parseIssueReference("acme/nodes#8") });
    expect(wrong.code).toBe("GITHUB_NOT_FOUND");
    expect(api.gists).toHaveLength(0);
    api.options.canWriteIssues = false;
    const refused = await failure({ gist: true });
    expect(refused.code).toBe("GITHUB_FORBIDDEN");
    expect(refused.message).toMatch(/; the gist https:\/\/gist\.github\.test\/g\d+ was created already$/);
  });

  it("waits out a short primary rate limit and then posts", async () => {
    const reset = Math.ceil(Date.now() / 1000) + 1;
    api.faults.push({
      method: "POST",
      status: 403,
      times: 1,
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) },
      body: { message: "API rate limit exceeded for user ID 1." },
    });
    const warnings: string[] = [];
    const result = await attach({
      client: { retryAfterBaseValue: 1, writeSpacingMs: 0, warn: (l) => warnings.push(l) },
    });
    expect(result.action).toBe("created");
    expect(api.requests.filter((r) => r.method === "POST")).toHaveLength(2);
    expect(warnings[0]).toMatch(/^warning: GitHub rate limit hit on POST .*; retrying in \d+ s$/);
  });

  it("gives up on a rate limit that persists after bounded retries and says when it resets", async () => {
    const reset = Math.ceil(Date.now() / 1000) + 1;
    api.faults.push({
      method: "POST",
      status: 403,
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) },
      body: { message: "API rate limit exceeded for user ID 1." },
    });
    const err = await failure();
    expect(err.code).toBe("GITHUB_RATE_LIMITED");
    expect(err.message).toContain(
      "GitHub's rate limit stopped the harness from trying to comment on acme/nodes#7",
    );
    expect(err.hint).toContain(
      `the limit resets at ${new Date(reset * 1000).toISOString().replace(/\.\d+Z$/, "Z")}`,
    );
    expect(api.requests.filter((r) => r.method === "POST")).toHaveLength(3);
  });

  it("gives up on a secondary rate limit (429) after bounded retries", async () => {
    api.faults.push({
      method: "POST",
      status: 429,
      headers: { "retry-after": "1" },
      body: { message: "You have exceeded a secondary rate limit." },
    });
    const err = await failure();
    expect(err.code).toBe("GITHUB_RATE_LIMITED");
    expect(err.hint).toContain("1 s from now");
    expect(api.requests.filter((r) => r.method === "POST")).toHaveLength(3);
  });

  it("explains a GitHub that keeps failing after the bounded retries", async () => {
    api.faults.push({ method: "POST", status: 503, body: { message: "Service Unavailable" } });
    const err = await failure();
    expect(err.code).toBe("GITHUB_UNAVAILABLE");
    expect(err.message).toBe("GitHub failed to comment on acme/nodes#7 (503: Service Unavailable)");
    expect(api.requests.filter((r) => r.method === "POST")).toHaveLength(2);
  });

  it("explains an API that cannot be reached", async () => {
    const gone = await new FakeGithubApi({ token, repositories: [] }).start();
    await gone.stop();
    const err = await failure({ apiUrl: gone.url });
    expect(err.code).toBe("GITHUB_UNREACHABLE");
    expect(err.message).toMatch(/^could not reach the GitHub API to read acme\/nodes#7: .*ECONNREFUSED/);
    expect(err.hint).toContain("--api-url");
  });

  it("retries a 502 and succeeds", async () => {
    api.faults.push({ method: "POST", status: 502, times: 1, body: { message: "Server Error" } });
    expect((await attach()).action).toBe("created");
    expect(api.requests.filter((r) => r.method === "POST")).toHaveLength(2);
  });
});

afterAll(removeTempDirs);
