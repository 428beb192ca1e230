// Pure: turns a run's events into what the visual reports draw: lanes of step spans, machines' creation stages,
// probe series, markers.
import type { StepOutcome, TimelineEvent } from "../timeline/events.ts";
import { failedOutcomes } from "../timeline/events.ts";

/** One step on one lane. */
export interface Span {
  step: string;
  phase: string;
  start: number;
  end: number;
  outcome: StepOutcome | "running";
  failed: boolean;
  /** Description, and the failure message when there is one. */
  detail: string;
}

/** A stretch of a machine's creation: getting its disk and image ready, then booting until SSH answers. */
export interface Stage {
  name: "disk and image" | "boot to SSH";
  start: number;
  end: number;
  detail: string;
}

/** A point in time worth marking: a retry, an error, a Kubernetes event, a machine state change. */
export interface Marker {
  lane: string;
  at: number;
  kind: "retry" | "error" | "kube-event" | "machine" | "interrupt";
  label: string;
}

/** Samples of one probe on one node. */
export interface Series {
  probe: string;
  node: string;
  points: { at: number; value: number | string | boolean | null; evidence: string[]; error?: string }[];
}

/** Everything drawn, on the host clock. */
export interface TimelineModel {
  start: number;
  end: number;
  /** Lane names: machines in plan order, then `harness` when steps ran on no machine. */
  lanes: string[];
  spans: Map<string, Span[]>;
  /** Each machine's creation stages, drawn inside its create step. */
  stages: Map<string, Stage[]>;
  markers: Marker[];
  series: Series[];
}

/** Name of the lane for work that is not on one machine (artifact downloads, observation). */
export const harnessLane = "harness";

/** Builds the model; a run cut short (no step-end, no run-end) ends at its last event. */
export function timelineModel(events: TimelineEvent[]): TimelineModel {
  const first = events[0];
  const start = first?.at ?? 0;
  let end = events.reduce((m, e) => Math.max(m, e.at), start);
  const lanes: string[] = [];
  const addLane = (l: string) => {
    if (!lanes.includes(l)) lanes.push(l);
  };
  const spans = new Map<string, Span[]>();
  const open = new Map<string, { nodes: string[]; spans: Span[] }>();
  const markers: Marker[] = [];
  const stages = new Map<string, Stage[]>();
  /** Per machine: when it started being created, and when (and how) its latest boot attempt started. */
  const creating = new Map<string, number>();
  const booting = new Map<string, { at: number; detail: string }>();
  const addStage = (machine: string, stage: Stage) =>
    stages.set(machine, [...(stages.get(machine) ?? []), stage]);
  const seriesByKey = new Map<string, Series>();
  for (const e of events) {
    switch (e.kind) {
      case "run-start":
        e.machines.forEach((m) => addLane(m.name));
        break;
      case "run-end":
        end = Math.max(end, e.at);
        break;
      case "step-start": {
        const nodes = e.nodes.length > 0 ? e.nodes : [harnessLane];
        nodes.forEach(addLane);
        const made = nodes.map((lane) => {
          const span: Span = {
            step: e.step,
            phase: e.phase,
            start: e.at,
            end: e.at,
            outcome: "running",
            failed: false,
            detail: e.description,
          };
          const list = spans.get(lane) ?? [];
          list.push(span);
          spans.set(lane, list);
          return span;
        });
        open.set(e.step, { nodes, spans: made });
        break;
      }
      case "step-end": {
        const o = open.get(e.step);
        if (!o) break;
        for (const s of o.spans) {
          s.end = e.at;
          s.outcome = e.outcome;
          s.failed = failedOutcomes.has(e.outcome);
          if (e.message) s.detail = `${s.detail}\n${e.message}`;
        }
        open.delete(e.step);
        break;
      }
      case "retry":
        markers.push({
          lane: e.node ?? harnessLane,
          at: e.at,
          kind: "retry",
          label: `retry ${e.step} #${e.attempt}: ${e.error}`,
        });
        break;
      case "error":
        markers.push({ lane: e.node ?? harnessLane, at: e.at, kind: "error", label: e.message });
        break;
      case "kube-event":
        markers.push({ lane: e.node, at: e.at, kind: "kube-event", label: e.line });
        break;
      case "machine":
        if (e.state === "creating") creating.set(e.machine, e.at);
        if (e.state === "booting") {
          const createdFrom = creating.get(e.machine);
          if (createdFrom !== undefined) {
            addStage(e.machine, {
              name: "disk and image",
              start: createdFrom,
              end: e.at,
              detail: `${e.machine}: disk and image ready`,
            });
            creating.delete(e.machine);
          }
          booting.set(e.machine, { at: e.at, detail: e.detail ?? "" });
        }
        if (e.state === "ready") {
          const boot = booting.get(e.machine);
          if (boot !== undefined) {
            addStage(e.machine, {
              name: "boot to SSH",
              start: boot.at,
              end: e.at,
              detail: `${e.machine}: booted (${boot.detail}), ${e.detail ?? "ready"}`,
            });
            booting.delete(e.machine);
          }
        }
        markers.push({
          lane: e.machine,
          at: e.at,
          kind: "machine",
          label: `${e.machine}: ${e.state}${e.detail ? ` (${e.detail})` : ""}`,
        });
        break;
      case "interrupt":
        markers.push({ lane: harnessLane, at: e.at, kind: "interrupt", label: `interrupted by ${e.signal}` });
        break;
      case "probe": {
        const key = `${e.probe}\u0000${e.node}`;
        const s = seriesByKey.get(key) ?? { probe: e.probe, node: e.node, points: [] };
        s.points.push({
          at: e.at,
          value: e.value,
          evidence: e.evidence,
          ...(e.error ? { error: e.error } : {}),
        });
        seriesByKey.set(key, s);
        break;
      }
      default:
        break;
    }
  }
  for (const o of open.values()) for (const s of o.spans) s.end = end;
  if (markers.some((m) => m.lane === harnessLane)) addLane(harnessLane);
  return { start, end, lanes, spans, stages, markers, series: [...seriesByKey.values()] };
}
