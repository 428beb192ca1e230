// Console reporter: live per-cell progress on a terminal, plain timestamped lines in CI; never interleaves cells' output.
import { formatDuration } from "../plan/duration.ts";
import type { TimelineEvent } from "../timeline/events.ts";
import { failedOutcomes } from "../timeline/events.ts";
import type { Clock } from "../timeline/clock.ts";
import type { TimelineListener } from "../timeline/timeline.ts";
import { terminalValue } from "../terminal-text.ts";

/** Where and how the reporter writes. */
export interface ConsoleOptions {
  out: { write(text: string): unknown };
  /** Redraw a live block (terminal) instead of appending lines (CI, pipes). */
  live: boolean;
  color: boolean;
  /** Stream command output and probe samples. */
  verbose: boolean;
  clock: Clock;
}

interface CellState {
  label: string;
  startedAt: number;
  phase: string;
  step: string;
  stepStartedAt: number;
  /** Whether `step` is still running (between its step-start and step-end). */
  stepRunning: boolean;
  /** The step's last output line and the node it came from, for the heartbeat. */
  lastOutput: { node: string; line: string } | null;
  /** How long the running step had run at its last heartbeat line. */
  heartbeatAtMs: number;
  /** SSH connection retries per machine since it started booting, printed as one line. */
  sshRetries: Map<string, number>;
  done: boolean;
}

/** A step running this long gets a "still running" line, and another each time as long again passes (CI mode). */
export const heartbeatEveryMs = 30_000;

/** The heartbeat quotes at most this much of the step's last output line. */
const heartbeatOutputChars = 160;

const paint = (on: boolean, code: number, text: string) => (on ? `\u001b[${code}m${text}\u001b[0m` : text);

/** Formats a host time as HH:MM:SS.mmm (UTC) for CI lines. */
export function clockText(at: number): string {
  return new Date(at).toISOString().slice(11, 23);
}

/** Lines worth printing for an event (empty when the event is not shown at this verbosity). */
export function describeEvent(e: TimelineEvent, verbose: boolean, color: boolean): string[] {
  switch (e.kind) {
    case "run-start":
      return [
        `run ${e.runId} started: ${e.machines.length} machine(s) on ${e.provider}, expecting ${e.expect}`,
      ];
    case "phase-start":
      return [`phase ${e.phase}`];
    case "step-start":
      return [`  ${e.step} started${e.nodes.length > 0 ? ` on ${e.nodes.join(", ")}` : ""}`];
    case "step-end": {
      const bad = failedOutcomes.has(e.outcome);
      const head = `  ${e.step} ${paint(color, bad ? 31 : 32, e.outcome)} in ${formatDuration(e.durationMs)}${e.attempts > 1 ? ` (${e.attempts} attempts)` : ""}`;
      const detail = bad || e.outcome === "tolerated-failure" || e.outcome === "expected-failure";
      return detail && e.message ? [head, ...e.message.split("\n").map((l) => `    ${l}`)] : [head];
    }
    case "retry":
      return [
        `  retry ${e.step}${e.node ? ` on ${e.node}` : ""} (attempt ${e.attempt} failed, ${e.retriesLeft} left): ${e.error}`,
      ];
    case "error":
      return [paint(color, 31, `  error${e.node ? ` on ${e.node}` : ""}: ${e.message}`)];
    case "machine":
      return [`  machine ${e.machine}: ${e.state}${e.detail ? ` (${e.detail})` : ""}`];
    case "interrupt":
      return [`interrupted by ${e.signal}: tearing down (send it again to force exit)`];
    case "checks":
      return e.results.map(
        (c) =>
          `  check ${c.held ? paint(color, 32, "held") : paint(color, 31, "did not hold")}: ${c.name} (${c.reason})`,
      );
    case "run-end":
      return [
        `${paint(color, e.pass ? 32 : 31, `${e.verdict} (${e.pass ? "PASS" : "FAIL"})`)} in ${formatDuration(e.durationMs)}: ${e.reason}`,
      ];
    case "output":
      return verbose ? [`    ${e.node}| ${e.line}`] : [];
    case "probe":
      return verbose
        ? [`  probe ${e.probe}@${e.node} = ${JSON.stringify(e.value)}${e.error ? ` (${e.error})` : ""}`]
        : [];
    case "fingerprint":
      return [`  ${e.node}: clock offset ${e.clockOffsetMs === null ? "unknown" : `${e.clockOffsetMs} ms`}`];
    case "artifact":
      return [`  artifact ${e.key} ${e.resolvedVersion}`];
    case "build":
      return [`  build: ${e.line}`];
    default:
      return [];
  }
}

/** Prints runs' progress; one listener per run, labelled with its cell. */
export class ConsoleProgress {
  private readonly cells: CellState[] = [];
  private drawn = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: ConsoleOptions) {
    this.timer = options.live
      ? setInterval(() => this.redraw(), 500)
      : setInterval(() => this.heartbeat(), 5_000);
    this.timer.unref();
  }

  /**
   * In CI mode, one line for each step that has run another `heartbeatEveryMs` since its last line: how long,
   * and its last output line, so a 4-minute `kubeadm init` is not 4 minutes of silence.
   */
  heartbeat(): void {
    if (this.options.live) return;
    const now = this.options.clock();
    for (const c of this.cells) {
      if (c.done || !c.stepRunning) continue;
      const ran = now - c.stepStartedAt;
      if (ran - c.heartbeatAtMs < heartbeatEveryMs) continue;
      c.heartbeatAtMs = ran - (ran % heartbeatEveryMs);
      const last = c.lastOutput
        ? `; last output on ${c.lastOutput.node}: ${c.lastOutput.line.slice(0, heartbeatOutputChars)}`
        : "";
      this.print([
        `${clockText(now)} [${c.label}]   ${c.step} still running after ${formatDuration(ran)}${last}`,
      ]);
    }
  }

  /** A listener for one run's timeline. */
  listenerFor(label: string): TimelineListener {
    const state: CellState = {
      label,
      startedAt: this.options.clock(),
      phase: "",
      step: "",
      stepStartedAt: 0,
      stepRunning: false,
      lastOutput: null,
      heartbeatAtMs: 0,
      sshRetries: new Map(),
      done: false,
    };
    this.cells.push(state);
    // Guest output and scenario text reach the terminal only as visible characters.
    return (e) => this.onEvent(state, terminalValue(e));
  }

  /** Prints a message that belongs to no run (scheduling, kept machines, where results are). */
  notice(message: string): void {
    this.print(message.split("\n"));
  }

  /** Stops redrawing and leaves the final state on screen. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.redraw();
  }

  private onEvent(state: CellState, e: TimelineEvent): void {
    if (e.kind === "run-start") state.startedAt = e.at;
    if (e.kind === "phase-start") state.phase = e.phase;
    if (e.kind === "step-start") {
      state.step = e.nodes.length > 0 ? `${e.step} on ${e.nodes.join(", ")}` : e.step;
      state.stepStartedAt = e.at;
      state.stepRunning = true;
      state.lastOutput = null;
      state.heartbeatAtMs = 0;
    }
    if (e.kind === "step-end") state.stepRunning = false;
    if (e.kind === "output" && e.line.trim() !== "") state.lastOutput = { node: e.node, line: e.line.trim() };
    if (e.kind === "run-end") state.done = true;
    const lines = this.sshRetryLines(state, e) ?? describeEvent(e, this.options.verbose, this.options.color);
    if (this.options.live) {
      const permanent =
        e.kind === "run-end" ||
        e.kind === "error" ||
        e.kind === "interrupt" ||
        (e.kind === "step-end" && (failedOutcomes.has(e.outcome) || e.outcome === "tolerated-failure")) ||
        e.kind === "checks" ||
        e.kind === "retry";
      if (permanent) this.print(lines.map((l) => `[${state.label}] ${l.trimStart()}`));
      else this.redraw();
      return;
    }
    this.print(lines.map((l) => `${clockText(e.at)} [${state.label}] ${l}`));
  }

  /**
   * SSH retries while a machine boots, as one line: the first retry says what the harness waits for, the rest are
   * counted (the timeline keeps each), and the ready line says how many there were. Null for any other event.
   */
  private sshRetryLines(state: CellState, e: TimelineEvent): string[] | null {
    if (e.kind !== "machine" || this.options.verbose) return null;
    if (e.state === "booting") state.sshRetries.set(e.machine, 0);
    if (e.state === "ssh-retry") {
      const n = (state.sshRetries.get(e.machine) ?? 0) + 1;
      state.sshRetries.set(e.machine, n);
      const why = e.detail?.replace(/^attempt \d+[^:]*: /, "") ?? "";
      return n === 1 ? [`  machine ${e.machine}: waiting for SSH (${why}); retrying until it answers`] : [];
    }
    const retries = state.sshRetries.get(e.machine);
    if (e.state === "ready" && retries !== undefined && retries > 0) {
      state.sshRetries.delete(e.machine);
      return [
        `  machine ${e.machine}: ready (${e.detail ? `${e.detail}, ` : ""}after ${retries} SSH retries)`,
      ];
    }
    return null;
  }

  private print(lines: string[]): void {
    if (lines.length === 0) return;
    if (this.options.live) {
      this.erase();
      this.options.out.write(`${lines.join("\n")}\n`);
      this.redraw();
    } else {
      this.options.out.write(`${lines.join("\n")}\n`);
    }
  }

  private erase(): void {
    if (this.drawn > 0) this.options.out.write(`\u001b[${this.drawn}F\u001b[0J`);
    this.drawn = 0;
  }

  private redraw(): void {
    if (!this.options.live) return;
    this.erase();
    const now = this.options.clock();
    const active = this.cells.filter((c) => !c.done);
    const lines = active.map(
      (c) =>
        `${paint(this.options.color, 36, c.label)}  ${c.phase || "starting"}  ${c.step}  ${formatDuration(now - c.stepStartedAt || 0)} (total ${formatDuration(now - c.startedAt)})`,
    );
    if (lines.length > 0) this.options.out.write(`${lines.join("\n")}\n`);
    this.drawn = lines.length;
  }
}
