// `harness report <run-dirs...>`: merges runs into a matrix (cells x verdicts, with links) in Markdown and HTML.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { UsageError } from "../../errors.ts";
import { loadRuns, matrixHtml, matrixMarkdown, matrixRows } from "../../reports/matrix-report.ts";
import { writeReports } from "../../reports/write-reports.ts";
import type { CliState } from "../main.ts";

/** Registers the command. */
export function registerReport(program: Command, _state: CliState): void {
  program
    .command("report")
    .description("merge runs into a matrix table (cells x verdicts, with links) in Markdown and HTML")
    .argument("<run-dirs...>", "run directories, or directories above them (results/, results/<scenario>/)")
    .option("--out <dir>", "write report.md and report.html here (default: print the Markdown)")
    .option("--rerender", "render each run's junit.xml, summary.md, timeline.html and trace.json again first")
    .action(async (dirs: string[], opts: { out?: string; rerender?: boolean }) => {
      const runs = await loadRuns(dirs);
      if (runs.length === 0)
        throw new UsageError(
          `no run.json found under ${dirs.join(", ")}`,
          "pass run directories (results/<scenario>/<run-id>) or the results directory",
        );
      if (opts.rerender) for (const r of runs) await writeReports(r.runDir);
      const rows = matrixRows(runs);
      if (opts.out === undefined) {
        process.stdout.write(matrixMarkdown(rows, process.cwd()));
        return;
      }
      const out = path.resolve(opts.out);
      await mkdir(out, { recursive: true });
      await writeFile(path.join(out, "report.md"), matrixMarkdown(rows, out));
      await writeFile(path.join(out, "report.html"), matrixHtml(rows, out));
      process.stdout.write(`${path.join(out, "report.md")}\n${path.join(out, "report.html")}\n`);
    });
}
