// `harness attach`: posts (or updates) one comment with a run's results on a GitHub issue, optionally with a gist.
import { attachMarker, hasMarker } from "./comment-marker.ts";
import { buildCommentBody } from "./comment-body.ts";
import { createGithubClient, type GithubClient, type GithubClientOptions } from "./github-client.ts";
import { githubCallError, type GithubCallContext } from "./github-errors.ts";
import { requireToken, tokenFromEnv } from "./github-token.ts";
import { uploadRunGist } from "./gist.ts";
import { formatIssueReference, type IssueReference } from "./issue-reference.ts";
import { readRunBundle } from "./run-bundle.ts";

/** What to attach where, and how. */
export interface AttachRequest {
  runDir: string;
  issue: IssueReference;
  /** Upload logs and timeline.html to a secret gist and link it. */
  gist: boolean;
  /** Edit the harness's previous comment for the same cell instead of adding one. */
  update: boolean;
  /** Print the body instead of posting; needs no token. */
  dryRun: boolean;
  apiUrl: string;
  env: NodeJS.ProcessEnv;
  /** Client tuning (tests shorten retry waits). */
  client?: Partial<Omit<GithubClientOptions, "token" | "apiUrl">>;
}

/** What `attach` did. */
export interface AttachResult {
  action: "printed" | "created" | "updated";
  body: string;
  commentUrl?: string;
  gistUrl?: string;
  /** Set when --update found no previous comment and a new one was created. */
  note?: string;
}

/** Permission `attach` needs, named in errors. */
const issuesPermission = { permission: "Issues: read and write", classicScope: "repo (or public_repo)" };

async function findPreviousComment(
  client: GithubClient,
  issue: IssueReference,
  marker: string,
  context: GithubCallContext,
): Promise<number | undefined> {
  try {
    const comments = await client.paginate(client.rest.issues.listComments, {
      owner: issue.owner,
      repo: issue.repo,
      issue_number: issue.issueNumber,
      per_page: 100,
    });
    return comments.filter((c) => hasMarker(c.body, marker)).at(-1)?.id;
  } catch (err) {
    throw githubCallError(err, { ...context, action: `read the comments of ${formatIssueReference(issue)}` });
  }
}

/** Reads the issue once before anything is written, so a wrong reference fails before a gist is made. */
async function checkIssueExists(
  client: GithubClient,
  issue: IssueReference,
  context: GithubCallContext,
): Promise<undefined> {
  try {
    await client.rest.issues.get({ owner: issue.owner, repo: issue.repo, issue_number: issue.issueNumber });
    return undefined;
  } catch (err) {
    throw githubCallError(err, { ...context, action: `read ${formatIssueReference(issue)}` });
  }
}

/** Builds the comment from a run directory and posts it (or prints it with dryRun). */
export async function attachRun(request: AttachRequest): Promise<AttachResult> {
  const bundle = await readRunBundle(request.runDir);
  const ref = formatIssueReference(request.issue);
  if (request.dryRun) {
    const known = tokenFromEnv(request.env);
    return {
      action: "printed",
      body: buildCommentBody(bundle, { secrets: known === undefined ? [] : [known] }),
      note: request.gist ? "--dry-run uploads no gist; the posted comment would link one" : undefined,
    };
  }
  const token = requireToken(
    request.env,
    `"${issuesPermission.permission}" on ${request.issue.owner}/${request.issue.repo}`,
    true,
  );
  const secrets = [token];
  const client = createGithubClient({ ...request.client, token, apiUrl: request.apiUrl });
  const context: GithubCallContext = {
    action: `comment on ${ref}`,
    target: `issue ${ref}`,
    ...issuesPermission,
    secrets,
  };
  const marker = attachMarker(bundle.record.cellId);
  const previous = request.update
    ? await findPreviousComment(client, request.issue, marker, context)
    : await checkIssueExists(client, request.issue, context);
  const gistUrl = request.gist ? await uploadRunGist(client, bundle, secrets) : undefined;
  const body = buildCommentBody(bundle, { gistUrl, secrets });
  const base = { owner: request.issue.owner, repo: request.issue.repo };
  try {
    if (previous !== undefined) {
      const { data } = await client.rest.issues.updateComment({ ...base, comment_id: previous, body });
      return { action: "updated", body, commentUrl: data.html_url, gistUrl };
    }
    const { data } = await client.rest.issues.createComment({
      ...base,
      issue_number: request.issue.issueNumber,
      body,
    });
    return {
      action: "created",
      body,
      commentUrl: data.html_url,
      gistUrl,
      note: request.update
        ? `no earlier harness comment for ${bundle.record.cellId} on ${ref}; added a new one`
        : undefined,
    };
  } catch (err) {
    const failed = githubCallError(err, {
      ...context,
      action: previous !== undefined ? `edit the harness's comment on ${ref}` : context.action,
    });
    if (gistUrl !== undefined) failed.message = `${failed.message}; the gist ${gistUrl} was created already`;
    throw failed;
  }
}
