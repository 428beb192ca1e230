// Turns a failed GitHub API call into a HarnessError that says what was refused and what to do, without the token.
import { ExitCode, HarnessError } from "../errors.ts";
import { redactSecrets } from "../secrets/redact.ts";

/** What the harness was doing when a call failed, for the message and the hint. */
export interface GithubCallContext {
  /** What was being done, e.g. "post a comment on owner/repo#12". */
  action: string;
  /** The repository or issue the call was about, named in 404 messages (e.g. "issue owner/repo#12"). */
  target: string;
  /** The fine-grained permission the call needs, e.g. "Issues: read and write". */
  permission: string;
  /** The classic-token scope or workflow permission that grants it, e.g. "repo (or public_repo)". */
  classicScope: string;
  /** Secrets that must not appear in the message (the token). */
  secrets: readonly string[];
}

interface ErrorShape {
  status?: unknown;
  message?: unknown;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

function header(err: ErrorShape, name: string): string | undefined {
  const value = err.response?.headers?.[name];
  return value === undefined ? undefined : String(value);
}

/** GitHub's own explanation: `message` plus the `errors[].message` of a 422, without the docs URL. */
function githubMessage(err: ErrorShape): string {
  const data = err.response?.data;
  if (data !== null && typeof data === "object") {
    const { message, errors } = data as { message?: unknown; errors?: unknown };
    const details = Array.isArray(errors)
      ? errors
          .map((e: unknown) =>
            e !== null && typeof e === "object" && "message" in e ? String(e.message) : undefined,
          )
          .filter((m) => m !== undefined)
      : [];
    if (typeof message === "string") return [message, ...details].join(": ");
  }
  return typeof err.message === "string" ? err.message.replace(/ - https:\/\/docs\.github\.com\S*$/, "") : "";
}

function isRateLimited(err: ErrorShape, status: number): boolean {
  return (
    status === 429 ||
    (status === 403 &&
      (header(err, "x-ratelimit-remaining") === "0" || /rate limit/i.test(githubMessage(err))))
  );
}

function resetTime(err: ErrorShape): string | undefined {
  const reset = Number(header(err, "x-ratelimit-reset"));
  if (Number.isFinite(reset) && reset > 0)
    return new Date(reset * 1000).toISOString().replace(/\.\d+Z$/, "Z");
  const after = Number(header(err, "retry-after"));
  return Number.isFinite(after) && after > 0 ? `${after} s from now` : undefined;
}

/** A HarnessError for a failed GitHub call; the token (and anything token-shaped) is redacted from it. */
export function githubCallError(err: unknown, context: GithubCallContext): HarnessError {
  const shape: ErrorShape = err !== null && typeof err === "object" ? err : {};
  const status = typeof shape.status === "number" ? shape.status : 0;
  const said = githubMessage(shape);
  const build = (code: string, message: string, hint: string, exitCode: number = ExitCode.error) =>
    new HarnessError(code, redactSecrets(message, context.secrets), {
      hint: redactSecrets(hint, context.secrets),
      exitCode,
    });
  const grant = `give the token "${context.permission}" (fine-grained token) or the ${context.classicScope} scope (classic token); in a workflow, add it under \`permissions:\``;

  if (isRateLimited(shape, status)) {
    const reset = resetTime(shape);
    return build(
      "GITHUB_RATE_LIMITED",
      `GitHub's rate limit stopped the harness from trying to ${context.action} (${status}: ${said})`,
      `${reset === undefined ? "wait a while" : `the limit resets at ${reset}`}; try again then, or use a token with a higher limit`,
      ExitCode.infra,
    );
  }
  switch (status) {
    case 401:
      return build(
        "GITHUB_UNAUTHORIZED",
        `GitHub rejected the token while trying to ${context.action} (401: ${said})`,
        "set GITHUB_TOKEN or GH_TOKEN to a valid token: this one is wrong, expired or revoked",
        ExitCode.usage,
      );
    case 403: {
      const accepted = header(shape, "x-accepted-github-permissions");
      return build(
        "GITHUB_FORBIDDEN",
        `the token may not ${context.action} (403: ${said})${accepted ? `; GitHub accepts the permissions ${accepted}` : ""}`,
        grant,
        ExitCode.usage,
      );
    }
    case 404:
      return build(
        "GITHUB_NOT_FOUND",
        `GitHub found no ${context.target} while trying to ${context.action} (404: ${said})`,
        `check the reference; GitHub also answers 404 when the token cannot see a private repository, so ${grant}`,
        ExitCode.usage,
      );
    case 410:
      return build(
        "GITHUB_GONE",
        `${context.target} is gone or has issues turned off (410: ${said})`,
        "check the reference, or turn issues on in the repository's settings",
        ExitCode.usage,
      );
    case 422:
      return build(
        "GITHUB_UNPROCESSABLE",
        `GitHub refused to ${context.action} (422: ${said})`,
        "this is likely a harness bug: run again with --dry-run to see what would be sent, and report it",
      );
    default:
      if (shape.response === undefined)
        return build(
          "GITHUB_UNREACHABLE",
          `could not reach the GitHub API to ${context.action}: ${said}`,
          "check the network and --api-url, then try again (failed requests were already retried)",
          ExitCode.infra,
        );
      return build(
        "GITHUB_UNAVAILABLE",
        `GitHub failed to ${context.action} (${status}: ${said})`,
        "GitHub may be having trouble (see githubstatus.com); try again later (failed requests were already retried)",
        ExitCode.infra,
      );
  }
}
