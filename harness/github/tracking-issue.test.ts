import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HarnessError } from "../errors.ts";
import { trackingMarker } from "./comment-marker.ts";
import { FakeGithubApi } from "./testing/fake-github-api.ts";
import { createGithubClient } from "./github-client.ts";
import type { TrackingReport } from "./tracking-issue-body.ts";
import { trackMatrix } from "./tracking-issue.ts";

const token = `ghs_${"tracker".repeat(6)}`;
const repo = { owner: "acme", repo: "nodes" };
const marker = trackingMarker("nightly");
let api: FakeGithubApi;

beforeEach(async () => {
  api = await new FakeGithubApi({ token, repositories: ["acme/nodes"] }).start();
});
afterEach(async () => {
  await api.stop();
});

const client = () =>
  createGithubClient({ token, apiUrl: api.url, retries: 0, retryAfterBaseValue: 1, writeSpacingMs: 0 });

function report(pass: boolean[]): TrackingReport {
  return {
    name: "nightly",
    runUrl: "https://github.test/acme/nodes/actions/runs/99",
    at: new Date(Date.UTC(2026, 10, 23, 2, 17)),
    cells: pass.map((p, i) => ({
      cellId: `cell-${i}`,
      expect: "reproduced",
      verdict: p ? "reproduced" : "not-reproduced",
      pass: p,
    })),
  };
}

describe("trackMatrix against a local fake GitHub API", () => {
  it("opens the tracking issue when a cell fails and none is open", async () => {
    const outcome = await trackMatrix(client(), repo, report([true, false]), [token]);
    expect(outcome).toMatchObject({
      action: "opened",
      issueNumber: 1,
      url: "https://github.test/acme/nodes/issues/1",
    });
    const issue = api.issuesOf("acme/nodes")[0];
    expect(issue?.title).toBe("nightly: 1 of 2 scenario cells fail");
    expect(issue?.body.startsWith(marker)).toBe(true);
    expect(issue?.body).toContain("| `cell-1` | reproduced | not-reproduced | ❌ no |");
  });

  it("updates the open tracking issue, ignoring other issues, pull requests and closed trackers", async () => {
    api.addIssue("acme/nodes", { number: 1, body: `${marker}\nold`, state: "closed" });
    api.addIssue("acme/nodes", { number: 2, body: "unrelated" });
    api.addIssue("acme/nodes", { number: 3, body: `${marker}\nquoted in a PR`, pullRequest: true });
    api.addIssue("acme/nodes", { number: 4, body: `${marker}\nold`, title: "old" });
    const outcome = await trackMatrix(client(), repo, report([false, false, true]), [token]);
    expect(outcome).toMatchObject({ action: "updated", issueNumber: 4 });
    expect(api.issues.get("acme/nodes#4")?.title).toBe("nightly: 2 of 3 scenario cells fail");
    expect(api.issues.get("acme/nodes#1")?.body).toBe(`${marker}\nold`);
    expect(api.issues.get("acme/nodes#3")?.body).toBe(`${marker}\nquoted in a PR`);
    expect(api.issuesOf("acme/nodes")).toHaveLength(4);
  });

  it("closes the tracking issue with a comment when every cell passes", async () => {
    api.addIssue("acme/nodes", {
      number: 5,
      body: `${marker}\nfailing`,
      title: "nightly: 1 of 2 scenario cells fail",
    });
    const outcome = await trackMatrix(client(), repo, report([true, true]), [token]);
    expect(outcome).toMatchObject({ action: "closed", issueNumber: 5 });
    const issue = api.issues.get("acme/nodes#5");
    expect(issue?.state).toBe("closed");
    expect(issue?.stateReason).toBe("completed");
    expect(issue?.title).toBe("nightly: all 2 scenario cells pass");
    expect(issue?.comments.map((c) => c.body)).toEqual([
      "All 2 cells pass in https://github.test/acme/nodes/actions/runs/99; closing.",
    ]);
  });

  it("does nothing when every cell passes and no tracking issue is open", async () => {
    const outcome = await trackMatrix(client(), repo, report([true]), [token]);
    expect(outcome.action).toBe("nothing");
    expect(api.requests.map((r) => r.method)).toEqual(["GET"]);
  });

  it("names the missing permission when the token may not write issues", async () => {
    api.options.canWriteIssues = false;
    const err: unknown = await trackMatrix(client(), repo, report([false]), [token]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HarnessError);
    expect((err as HarnessError).message).toContain(
      "the token may not update the tracking issue in acme/nodes (403",
    );
    expect((err as HarnessError).hint).toContain('"Issues: read and write"');
    expect((err as HarnessError).hint).toContain("`permissions:`");
  });
});
