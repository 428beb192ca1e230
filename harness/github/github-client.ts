// Builds the Octokit client the harness talks to GitHub with: token auth, retries, rate-limit throttling.
import { Octokit } from "@octokit/rest";
import Bottleneck from "bottleneck";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { UsageError } from "../errors.ts";
import { redactSecrets } from "../secrets/redact.ts";

/** Octokit with the retry and throttling plugins. */
export const HarnessOctokit = Octokit.plugin(retry, throttling);

/** The client type every GitHub operation of the harness takes. */
export type GithubClient = InstanceType<typeof HarnessOctokit>;

/** The public GitHub REST API; `--api-url` points elsewhere (GitHub Enterprise, or a test server). */
export const defaultApiUrl = "https://api.github.com";

/** How to reach GitHub and how patient to be with it. */
export interface GithubClientOptions {
  token: string;
  apiUrl?: string;
  /** Retries of a request that failed with a 5xx or network error (default 3). */
  retries?: number;
  /** Retries after hitting a primary or secondary rate limit (default 2). */
  rateLimitRetries?: number;
  /** Longest rate-limit wait, in seconds, worth retrying after; beyond it the request fails (default 120). */
  maxRateLimitWaitSeconds?: number;
  /** Milliseconds per second of `retry-after` (default 1000; tests shrink it to keep waits short). */
  retryAfterBaseValue?: number;
  /**
   * Spacing between writes, ms. Unset keeps Octokit's defaults (1 s between writes, 3 s between requests that
   * notify people), which GitHub asks integrations to respect; tests set 0.
   */
  writeSpacingMs?: number;
  /** Where warnings go (default stderr); every line is redacted first. */
  warn?: (line: string) => void;
}

/** A client for GitHub's REST API that retries transient failures and waits out short rate limits. */
export function createGithubClient(options: GithubClientOptions): GithubClient {
  const warn = options.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  const say = (line: string) => warn(redactSecrets(line, [options.token]));
  const rateLimitRetries = options.rateLimitRetries ?? 2;
  const maxWait = options.maxRateLimitWaitSeconds ?? 120;
  const retryAfterBaseValue = options.retryAfterBaseValue ?? 1000;
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
      const again = retryCount < rateLimitRetries && retryAfter <= maxWait;
      say(
        `warning: GitHub ${kind} hit on ${request.method} ${request.url}; ${again ? `retrying in ${retryAfter} s` : "giving up"}`,
      );
      return again;
    };
  const spacing = options.writeSpacingMs;
  const groups =
    spacing === undefined
      ? {}
      : {
          write: new Bottleneck.Group({ maxConcurrent: 1, minTime: spacing }),
          notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: spacing }),
        };
  return new HarnessOctokit({
    auth: options.token,
    baseUrl: (options.apiUrl ?? defaultApiUrl).replace(/\/+$/, ""),
    userAgent: "k8s-node-harness",
    log: {
      debug: () => undefined,
      info: () => undefined,
      warn: (message: string) => say(`warning: ${message}`),
      // Failed requests surface as HarnessErrors with a hint; Octokit's own error lines would only repeat them.
      error: () => undefined,
    },
    // Rate limits (403 with x-ratelimit-remaining 0, 429) are the throttling plugin's to wait out, not retry's.
    retry: {
      retries: options.retries ?? 3,
      retryAfterBaseValue,
      doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
    },
    throttle: {
      ...groups,
      retryAfterBaseValue,
      onRateLimit: onLimit("rate limit"),
      onSecondaryRateLimit: onLimit("secondary rate limit"),
    },
  });
}

/** Checks `--api-url` is an http(s) URL without credentials in it; returns it without a trailing slash. */
export function parseApiUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--api-url ${JSON.stringify(text)} is not a URL`, `for example ${defaultApiUrl}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new UsageError(
      `--api-url ${text}: only http and https are supported`,
      `for example ${defaultApiUrl}`,
    );
  const loopback =
    ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname) || url.hostname.startsWith("127.");
  if (url.protocol === "http:" && !loopback)
    throw new UsageError(
      `--api-url ${text}: plain http would send the token in clear`,
      `use https (http is for a local stand-in on 127.0.0.1 or localhost), for example ${defaultApiUrl}`,
    );
  if (url.username !== "" || url.password !== "")
    throw new UsageError(
      "--api-url must not carry credentials",
      "put the token in GITHUB_TOKEN or GH_TOKEN instead",
    );
  return url.toString().replace(/\/+$/, "");
}
