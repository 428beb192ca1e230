// trace.json in the Chrome trace event format (opens in Perfetto / chrome://tracing): one lane per machine.
import type { TimelineModel } from "./timeline-model.ts";

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

/** The trace: a JSON object with `traceEvents`, times in microseconds from the run's start. */
export function chromeTrace(
  model: TimelineModel,
  title: string,
): { traceEvents: TraceEvent[]; displayTimeUnit: "ms" } {
  const us = (at: number) => Math.round((at - model.start) * 1000);
  const tid = (lane: string) => model.lanes.indexOf(lane) + 1;
  const events: TraceEvent[] = [
    { name: "process_name", ph: "M", pid: 1, tid: 0, ts: 0, args: { name: title } },
    ...model.lanes.map((lane) => ({
      name: "thread_name",
      ph: "M" as const,
      pid: 1,
      tid: tid(lane),
      ts: 0,
      args: { name: lane },
    })),
  ];
  for (const lane of model.lanes)
    for (const s of model.spans.get(lane) ?? [])
      events.push({
        name: s.step,
        cat: s.failed ? "failed" : s.phase,
        ph: "X",
        pid: 1,
        tid: tid(lane),
        ts: us(s.start),
        dur: Math.max(1, us(s.end) - us(s.start)),
        args: { outcome: s.outcome, detail: s.detail },
      });
  for (const m of model.markers)
    events.push({
      name: m.kind === "kube-event" ? "kubernetes event" : m.kind,
      cat: m.kind,
      ph: "i",
      s: "t",
      pid: 1,
      tid: Math.max(1, tid(m.lane)),
      ts: us(m.at),
      args: { detail: m.label },
    });
  for (const series of model.series)
    for (const p of series.points)
      if (typeof p.value === "number")
        events.push({
          name: `${series.probe} (${series.node})`,
          ph: "C",
          pid: 1,
          tid: 0,
          ts: us(p.at),
          args: { value: p.value },
        });
  return { traceEvents: events, displayTimeUnit: "ms" };
}
