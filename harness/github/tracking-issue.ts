// Keeps one tracking issue in step with the nightly matrix: opens it on failures, updates it, closes it when all pass.
import { hasMarker, trackingMarker } from "./comment-marker.ts";
import type { GithubClient } from "./github-client.ts";
import { githubCallError, type GithubCallContext } from "./github-errors.ts";
import type { RepositoryReference } from "./issue-reference.ts";
import { redactSecrets } from "../secrets/redact.ts";
import { allPass, trackingBody, trackingTitle, type TrackingReport } from "./tracking-issue-body.ts";

/** What happened to the tracking issue. */
export interface TrackingOutcome {
  action: "opened" | "updated" | "closed" | "nothing";
  issueNumber?: number;
  url?: string;
  /** One sentence for the log. */
  message: string;
}

/** The open issue carrying the tracker's marker (the oldest, if several do). */
async function findOpenTrackingIssue(
  client: GithubClient,
  repo: RepositoryReference,
  marker: string,
): Promise<{ number: number; html_url: string } | undefined> {
  const issues = await client.paginate(client.rest.issues.listForRepo, {
    ...repo,
    state: "open",
    per_page: 100,
    sort: "created",
    direction: "asc",
  });
  return issues.find((i) => i.pull_request === undefined && hasMarker(i.body, marker));
}

/** Brings the repository's tracking issue in line with the report. */
export async function trackMatrix(
  client: GithubClient,
  repo: RepositoryReference,
  report: TrackingReport,
  secrets: readonly string[],
): Promise<TrackingOutcome> {
  const where = `${repo.owner}/${repo.repo}`;
  const context: GithubCallContext = {
    action: `update the tracking issue in ${where}`,
    target: `repository ${where}`,
    permission: "Issues: read and write",
    classicScope: "repo (or public_repo)",
    secrets,
  };
  const body = redactSecrets(trackingBody(report), secrets);
  const title = redactSecrets(trackingTitle(report), secrets);
  try {
    const open = await findOpenTrackingIssue(client, repo, trackingMarker(report.name));
    if (allPass(report)) {
      if (open === undefined)
        return {
          action: "nothing",
          message: `all ${report.cells.length} cells pass and no tracking issue is open`,
        };
      await client.rest.issues.update({ ...repo, issue_number: open.number, title, body });
      await client.rest.issues.createComment({
        ...repo,
        issue_number: open.number,
        body: `All ${report.cells.length} cells pass${report.runUrl ? ` in ${report.runUrl}` : ""}; closing.`,
      });
      await client.rest.issues.update({
        ...repo,
        issue_number: open.number,
        state: "closed",
        state_reason: "completed",
      });
      return {
        action: "closed",
        issueNumber: open.number,
        url: open.html_url,
        message: `closed ${where}#${open.number}: all cells pass`,
      };
    }
    if (open !== undefined) {
      await client.rest.issues.update({ ...repo, issue_number: open.number, title, body });
      return {
        action: "updated",
        issueNumber: open.number,
        url: open.html_url,
        message: `updated ${where}#${open.number}: ${title}`,
      };
    }
    const { data } = await client.rest.issues.create({ ...repo, title, body });
    return {
      action: "opened",
      issueNumber: data.number,
      url: data.html_url,
      message: `opened ${where}#${data.number}: ${title}`,
    };
  } catch (err) {
    throw githubCallError(err, context);
  }
}
