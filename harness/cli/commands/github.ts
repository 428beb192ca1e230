// `harness github track-issue`: keeps one issue in step with the nightly matrix (opened, updated, closed).
import type { Command } from "commander";
import { createGithubClient, defaultApiUrl, parseApiUrl } from "../../github/github-client.ts";
import { requireToken } from "../../github/github-token.ts";
import { parseRepository } from "../../github/issue-reference.ts";
import { plannedCells, trackedCells } from "../../github/tracked-cells.ts";
import { trackingBody, trackingTitle, type TrackingReport } from "../../github/tracking-issue-body.ts";
import { trackMatrix } from "../../github/tracking-issue.ts";
import type { CliState } from "../main.ts";

interface TrackIssueOptions {
  repo: string;
  matrix?: string;
  runUrl?: string;
  name: string;
  apiUrl: string;
  dryRun?: boolean;
}

/** Registers `harness github` and its subcommands. */
export function registerGithub(program: Command, _state: CliState): void {
  const github = program.command("github").description("GitHub integration used by the workflows");
  github
    .command("track-issue")
    .description("open, update or close the tracking issue from a matrix of results")
    .argument("<results...>", "run directories or directories holding them (e.g. the downloaded artifacts)")
    .requiredOption("--repo <owner/repo>", "repository of the tracking issue")
    .option(
      "--matrix <json>",
      "the `harness matrix --github` output: planned cells without a result count as failing",
    )
    .option("--run-url <url>", "link to the workflow run, shown in the issue")
    .option("--name <name>", "tracker name, shown in the title and kept in the hidden marker", "nightly")
    .option("--api-url <url>", "GitHub REST API base URL", defaultApiUrl)
    .option("--dry-run", "print the title and body instead of touching GitHub (needs no token)")
    .addHelpText(
      "after",
      "\nThe token comes from GITHUB_TOKEN or GH_TOKEN and needs Issues: write on the repository.",
    )
    .action(async (paths: string[], opts: TrackIssueOptions) => {
      const repo = parseRepository(opts.repo);
      const apiUrl = parseApiUrl(opts.apiUrl);
      const planned = opts.matrix === undefined ? [] : plannedCells(opts.matrix);
      const report: TrackingReport = {
        name: opts.name,
        cells: await trackedCells(paths, planned),
        runUrl: opts.runUrl,
        at: new Date(),
      };
      if (opts.dryRun) {
        process.stdout.write(`${trackingTitle(report)}\n\n${trackingBody(report)}\n`);
        return;
      }
      const token = requireToken(process.env, `"Issues: read and write" on ${opts.repo}`, true);
      const outcome = await trackMatrix(createGithubClient({ token, apiUrl }), repo, report, [token]);
      process.stdout.write(`${outcome.message}${outcome.url ? ` (${outcome.url})` : ""}\n`);
    });
}
