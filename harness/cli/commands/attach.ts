// `harness attach`: posts a run's results as a comment on a GitHub issue (or prints it with --dry-run).
import type { Command } from "commander";
import { attachRun } from "../../github/attach.ts";
import { defaultApiUrl, parseApiUrl } from "../../github/github-client.ts";
import { parseIssueReference } from "../../github/issue-reference.ts";
import type { CliState } from "../main.ts";

/** Registers the command. */
export function registerAttach(program: Command, _state: CliState): void {
  program
    .command("attach")
    .description("post a run's verdict, evidence, steps, timeline and logs as a comment on a GitHub issue")
    .argument("<run-dir>", "the run's results directory (the one holding run.json)")
    .requiredOption(
      "--issue <owner/repo#number>",
      "the issue to comment on (or its https://github.com/... URL)",
    )
    .option("--gist", "also upload the logs and timeline.html to a secret gist and link it")
    .option("--update", "edit the harness's previous comment for this cell instead of adding one")
    .option("--dry-run", "print the comment instead of posting it (needs no token)")
    .option("--api-url <url>", "GitHub REST API base URL", defaultApiUrl)
    .addHelpText(
      "after",
      "\nThe token comes from GITHUB_TOKEN or GH_TOKEN and needs Issues: write on the repository (and Gists: write for --gist).",
    )
    .action(
      async (
        runDir: string,
        opts: { issue: string; gist?: boolean; update?: boolean; dryRun?: boolean; apiUrl: string },
      ) => {
        const issue = parseIssueReference(opts.issue);
        const apiUrl = parseApiUrl(opts.apiUrl);
        const result = await attachRun({
          runDir,
          issue,
          gist: opts.gist === true,
          update: opts.update === true,
          dryRun: opts.dryRun === true,
          apiUrl,
          env: process.env,
        });
        if (result.note !== undefined) process.stderr.write(`note: ${result.note}\n`);
        if (result.action === "printed") {
          process.stdout.write(`${result.body}\n`);
          return;
        }
        if (result.gistUrl !== undefined) process.stdout.write(`gist: ${result.gistUrl}\n`);
        process.stdout.write(
          `${result.action} comment: ${result.commentUrl ?? "(GitHub returned no URL)"}\n`,
        );
      },
    );
}
