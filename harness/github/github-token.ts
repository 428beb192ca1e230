// Finds the GitHub token in the environment (GITHUB_TOKEN, then GH_TOKEN), and says what to do when there is none.
import { ExitCode, HarnessError } from "../errors.ts";

/** The token from GITHUB_TOKEN or GH_TOKEN (in that order), or undefined when neither is set to something. */
export function tokenFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const name of ["GITHUB_TOKEN", "GH_TOKEN"]) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return undefined;
}

/** The token, or a HarnessError telling the user which variable to set and with what permission. */
export function requireToken(env: NodeJS.ProcessEnv, needs: string, dryRunHint: boolean): string {
  const token = tokenFromEnv(env);
  if (token !== undefined) return token;
  throw new HarnessError(
    "GITHUB_TOKEN_MISSING",
    "no GitHub token: neither GITHUB_TOKEN nor GH_TOKEN is set",
    {
      hint: `set GITHUB_TOKEN or GH_TOKEN to a token with ${needs}${dryRunHint ? ", or pass --dry-run to print what would be posted" : ""}`,
      exitCode: ExitCode.usage,
    },
  );
}
