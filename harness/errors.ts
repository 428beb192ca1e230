// Error classes with stable codes; the CLI prints `error: <what>` + `hint: <next step>` and maps codes to exit codes.

/** Exit codes of the harness CLI (documented in README.md). */
export const ExitCode = {
  ok: 0,
  /** A run finished and at least one cell's verdict did not match its expectation. */
  verdictMismatch: 1,
  /** Bad input: a scenario file, a flag, a filter that selects nothing. */
  usage: 2,
  /** A scenario could not be carried out (a step failed unexpectedly). */
  error: 3,
  /** Machines could not be booted or reached, or a download failed. */
  infra: 4,
  /** Interrupted by SIGINT/SIGTERM. */
  aborted: 130,
} as const;

/** Base of every error the harness reports to a user: a message, an optional hint, an exit code. */
export class HarnessError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly exitCode: number;

  constructor(
    code: string,
    message: string,
    options: { hint?: string; exitCode?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "HarnessError";
    this.code = code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? ExitCode.error;
  }
}

/** One problem found in a scenario file, located at file:line:col and a field path. */
export interface ScenarioIssue {
  file: string;
  line: number;
  col: number;
  path: string;
  message: string;
}

/** Formats an issue the way compilers do, so editors and terminals can jump to it. */
export function formatScenarioIssue(issue: ScenarioIssue): string {
  const where = issue.path === "" ? "" : `${issue.path}: `;
  return `${issue.file}:${issue.line}:${issue.col}: ${where}${issue.message}`;
}

/** A scenario file that failed to parse or validate; carries every issue found, not just the first. */
export class ScenarioError extends HarnessError {
  readonly issues: ScenarioIssue[];

  constructor(issues: ScenarioIssue[]) {
    const first = issues[0];
    const file = first?.file ?? "scenario";
    super("SCENARIO_INVALID", issues.map(formatScenarioIssue).join("\n"), {
      hint: `fix the ${issues.length === 1 ? "problem" : `${issues.length} problems`} in ${file} and run \`harness validate ${file}\` again`,
      exitCode: ExitCode.usage,
    });
    this.name = "ScenarioError";
    this.issues = issues;
  }
}

/** Bad command-line usage: an unknown scenario, a filter matching no cell, conflicting flags. */
export class UsageError extends HarnessError {
  constructor(message: string, hint?: string) {
    super("USAGE", message, { hint, exitCode: ExitCode.usage });
    this.name = "UsageError";
  }
}

/** `message [CODE]; hint: ...` for a HarnessError (so its code and next step reach run.json), else the message. */
export function describeError(err: unknown): string {
  if (err instanceof HarnessError)
    return `${err.message} [${err.code}]${err.hint ? `; hint: ${err.hint}` : ""}`;
  return err instanceof Error ? err.message : String(err);
}

/**
 * True unless the error is a HarnessError that is not the infrastructure's (a usage or configuration error, a
 * build that cannot succeed): only infrastructure errors are worth a retry or an infra-failure verdict.
 */
export function isInfraError(err: unknown): boolean {
  return !(err instanceof HarnessError) || err.exitCode === ExitCode.infra;
}
