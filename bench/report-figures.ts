// Benchmark of the reports (issue 13): per run, the attach comment's size, where each quoted evidence line lands on
// the host clock (and how far off that can be: the clock offset's uncertainty), and the longest console silence
// the run would show in CI, replaying its events through the console reporter with its 30 s heartbeat.
// Run: node --import tsx bench/report-figures.ts RUN_DIR...   (run directories, or results/<scenario>/ folders)
import path from "node:path";
import { buildCommentBody } from "../harness/github/comment-body.ts";
import { readRunBundle } from "../harness/github/run-bundle.ts";
import { ConsoleProgress } from "../harness/reports/console-progress.ts";
import { loggedEvidence, observationStart } from "../harness/reports/evidence-times.ts";
import { loadRuns } from "../harness/reports/matrix-report.ts";
import { fakeClock } from "../harness/timeline/clock.ts";
import { readEvents } from "../harness/timeline/read-events.ts";

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error(
    "usage: node --import tsx bench/report-figures.ts RUN_DIR... (or results/<scenario>/ folders)",
  );
  process.exit(2);
}

/** The longest stretch without a console line, replaying `events` in CI mode (heartbeat checked every 5 s). */
function longestSilenceMs(events: Awaited<ReturnType<typeof readEvents>>): { ms: number; after: string } {
  const first = events[0]?.at ?? 0;
  const clock = fakeClock(first);
  let last = first;
  let longest = { ms: 0, after: "" };
  let lastLine = "";
  const console_ = new ConsoleProgress({
    out: {
      write: (text: string) => {
        const now = clock();
        if (now - last > longest.ms) longest = { ms: now - last, after: lastLine };
        last = now;
        lastLine = text.trimEnd().split("\n").at(-1)?.slice(13, 120) ?? "";
      },
    },
    live: false,
    color: false,
    verbose: false,
    clock,
  });
  const listener = console_.listenerFor("cell");
  // The reporter's timer fires every 5 s whatever the events do.
  let nextBeat = first + 5_000;
  for (const e of events) {
    for (; nextBeat <= e.at; nextBeat += 5_000) {
      clock.advance(nextBeat - clock());
      console_.heartbeat();
    }
    clock.advance(Math.max(0, e.at - clock()));
    listener(e);
  }
  console_.close();
  return longest;
}

for (const { runDir, record } of await loadRuns(dirs)) {
  const body = buildCommentBody(await readRunBundle(runDir));
  const events = await readEvents(path.join(runDir, "events.ndjson"));
  const silence = longestSilenceMs(events);
  const start = observationStart(record) ?? record.startedAt;
  console.log(`${record.cellId} ${record.runId}: ${record.verdict}`);
  console.log(`  attach body: ${body.length.toLocaleString("en-US")} characters (GitHub's limit 65,536)`);
  console.log(
    `  longest console silence (CI mode): ${(silence.ms / 1000).toFixed(1)} s, after "${silence.after}"`,
  );
  for (const [node, fp] of Object.entries(record.nodes))
    console.log(
      `  ${node}: clock offset ${fp.clockOffsetMs ?? "unknown"} ms, uncertainty ${fp.facts["clock.uncertainty-ms"] ?? "unknown"} ms`,
    );
  for (const e of loggedEvidence(record.evidence, record))
    console.log(
      `  evidence logged ${((e.at - start) / 1000).toFixed(1)} s from observation start on ${e.node}, during ${e.step ?? "no step"}: ${e.line.slice(0, 90)}`,
    );
}
