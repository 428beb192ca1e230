// trace.json in the Chrome trace event format (opens in Perfetto / chrome://tracing): a lane of phases, one lane
// per machine with its steps and, nested under them, the commands that ran there; markers named for what they are.
import type { TimelineEvent } from "../timeline/events.ts";
import { timelineModel } from "./timeline-model.ts";

/** One trace event (the fields this report uses). */
export interface TraceEvent {
  name: string;
  ph: "X" | "i" | "C" | "M";
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  s?: "t" | "p" | "g";
  cat?: string;
  args?: Record<string, unknown>;
}

/** The whole trace file. */
export interface ChromeTrace {
  traceEvents: TraceEvent[];
  displayTimeUnit: "ms";
  /** Metadata the format carries as is: the wall-clock time `ts` 0 stands for, and the cell. */
  otherData: { cell: string; startedAt: string; startedAtMs: number };
}

/** Commands are cut to this many characters in a span's name (the whole command is in its args). */
const commandNameChars = 80;

/** The lane of the run's phases, above the machines. */
const phaseLane = "phases";

/** The trace of one run from its events; `ts` counts microseconds from the run's first event. */
export function chromeTrace(events: TimelineEvent[], title: string): ChromeTrace {
  const model = timelineModel(events);
  const us = (at: number) => Math.round((at - model.start) * 1000);
  const lanes = [phaseLane, ...model.lanes];
  const tid = (lane: string) => Math.max(1, lanes.indexOf(lane) + 1);
  const trace: TraceEvent[] = [
    { name: "process_name", ph: "M", pid: 1, tid: 0, ts: 0, args: { name: title } },
    ...lanes.map((lane) => ({
      name: "thread_name",
      ph: "M" as const,
      pid: 1,
      tid: tid(lane),
      ts: 0,
      args: { name: lane },
    })),
  ];
  const phaseStarts = new Map<string, number>();
  for (const e of events) {
    if (e.kind === "phase-start") phaseStarts.set(e.phase, e.at);
    if (e.kind === "phase-end") {
      const start = phaseStarts.get(e.phase) ?? e.at - e.durationMs;
      trace.push({
        name: `phase ${e.phase}`,
        cat: e.failed ? "failed" : "phase",
        ph: "X",
        pid: 1,
        tid: tid(phaseLane),
        ts: us(start),
        dur: Math.max(1, us(e.at) - us(start)),
        args: { failed: e.failed },
      });
    }
    if (e.kind === "command") {
      const short =
        e.command.length > commandNameChars ? `${e.command.slice(0, commandNameChars - 3)}...` : e.command;
      trace.push({
        name: `${e.purpose}: ${short}`,
        cat: "command",
        ph: "X",
        pid: 1,
        tid: tid(e.node),
        ts: us(e.startedAt),
        dur: Math.max(1, Math.round(e.durationMs * 1000)),
        args: {
          command: e.command,
          exitCode: e.exitCode,
          ...(e.signal === null ? {} : { signal: e.signal }),
          ...(e.timedOut ? { timedOut: true } : {}),
          ...(e.transportError === undefined ? {} : { transportError: e.transportError }),
        },
      });
    }
  }
  for (const lane of model.lanes)
    for (const s of model.spans.get(lane) ?? [])
      trace.push({
        name: s.step,
        cat: s.failed ? "failed" : s.phase,
        ph: "X",
        pid: 1,
        tid: tid(lane),
        ts: us(s.start),
        dur: Math.max(1, us(s.end) - us(s.start)),
        args: { outcome: s.outcome, detail: s.detail },
      });
  for (const [lane, list] of model.stages)
    for (const st of list)
      trace.push({
        name: st.name,
        cat: "stage",
        ph: "X",
        pid: 1,
        tid: tid(lane),
        ts: us(st.start),
        dur: Math.max(1, us(st.end) - us(st.start)),
        args: { detail: st.detail },
      });
  for (const m of model.markers)
    trace.push({
      name: m.kind === "kube-event" ? "kubernetes event" : m.label.slice(0, commandNameChars),
      cat: m.kind,
      ph: "i",
      s: "t",
      pid: 1,
      tid: tid(m.lane),
      ts: us(m.at),
      args: { detail: m.label },
    });
  for (const series of model.series)
    for (const p of series.points)
      if (typeof p.value === "number")
        trace.push({
          name: `${series.probe} (${series.node})`,
          ph: "C",
          pid: 1,
          tid: 0,
          ts: us(p.at),
          args: { value: p.value },
        });
  return {
    traceEvents: trace,
    displayTimeUnit: "ms",
    otherData: { cell: title, startedAt: new Date(model.start).toISOString(), startedAtMs: model.start },
  };
}
