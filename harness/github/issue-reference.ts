// Parses and validates `owner/repo` and `owner/repo#123` references before anything is sent to GitHub.
import { UsageError } from "../errors.ts";

/** A repository on GitHub, validated against GitHub's naming rules. */
export interface RepositoryReference {
  owner: string;
  repo: string;
}

/** One issue (or pull request) on GitHub. */
export interface IssueReference extends RepositoryReference {
  issueNumber: number;
}

/** GitHub user and organisation names: 1-39 letters, digits or single inner hyphens. */
const ownerPattern = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
/** Repository names: 1-100 letters, digits, `.`, `_` or `-`, but not `.` or `..`. */
const repoPattern = /^[A-Za-z0-9._-]{1,100}$/;
const issueUrlPattern = /^https:\/\/github\.com\/([^/]+)\/([^/]+)\/(?:issues|pull)\/(\d+)\/?$/;

const issueExample =
  "for example --issue kubernetes/kubernetes#123 or the issue's https://github.com/... URL";

/** Validates an owner and repository name; throws a UsageError naming the bad part. */
export function validateRepository(owner: string, repo: string, input: string): RepositoryReference {
  if (!ownerPattern.test(owner))
    throw new UsageError(
      `"${input}": "${owner}" is not a GitHub user or organisation name`,
      "owners are 1-39 letters, digits or inner hyphens",
    );
  if (!repoPattern.test(repo) || repo === "." || repo === "..")
    throw new UsageError(
      `"${input}": "${repo}" is not a GitHub repository name`,
      "repository names are 1-100 letters, digits, '.', '_' or '-'",
    );
  return { owner, repo };
}

/** Parses `owner/repo`; throws a UsageError for anything else. */
export function parseRepository(input: string): RepositoryReference {
  const parts = input.trim().split("/");
  if (parts.length !== 2 || parts[0] === undefined || parts[1] === undefined)
    throw new UsageError(`"${input}" is not a repository reference`, "write it as owner/repo");
  return validateRepository(parts[0], parts[1], input);
}

/** Parses `owner/repo#123` or an issue or pull-request URL on github.com; throws a UsageError otherwise. */
export function parseIssueReference(input: string): IssueReference {
  const text = input.trim();
  const url = issueUrlPattern.exec(text);
  const hash = text.lastIndexOf("#");
  const [owner, repo, num] = url
    ? [url[1], url[2], url[3]]
    : hash > 0
      ? [...text.slice(0, hash).split("/"), text.slice(hash + 1)]
      : [];
  if (
    owner === undefined ||
    repo === undefined ||
    num === undefined ||
    (!url && text.split("/").length !== 2)
  )
    throw new UsageError(`"${input}" is not an issue reference`, issueExample);
  if (!/^[1-9]\d{0,9}$/.test(num))
    throw new UsageError(`"${input}": "${num}" is not an issue number`, issueExample);
  return { ...validateRepository(owner, repo, input), issueNumber: Number(num) };
}

/** `owner/repo#123`, the canonical text of an issue reference. */
export function formatIssueReference(ref: IssueReference): string {
  return `${ref.owner}/${ref.repo}#${ref.issueNumber}`;
}
