// Appends timeline events to events.ndjson as they happen and fans them out to live listeners.
import { closeSync, fsyncSync, openSync, writeSync } from "node:fs";
import type { Clock } from "./clock.ts";
import type { TimelineEvent, UnstampedEvent } from "./events.ts";
import { redactWrittenValue } from "../secrets/written-text.ts";

/** Something that watches events live (the console progress); its exceptions never reach the runner. */
export type TimelineListener = (event: TimelineEvent) => void;

/** The run's timeline: every event is written (one JSON line) when it is emitted; `flush` makes it durable. */
export class Timeline {
  private fd: number | null;
  private readonly listeners: TimelineListener[] = [];
  private readonly clock: Clock;
  private failedListener = false;
  /** Number of events emitted so far. */
  count = 0;

  constructor(file: string | null, clock: Clock) {
    this.fd = file === null ? null : openSync(file, "a");
    this.clock = clock;
  }

  /** Adds a live listener. */
  listen(listener: TimelineListener): void {
    this.listeners.push(listener);
  }

  /** Host time now, from the run's clock. */
  now(): number {
    return this.clock();
  }

  /** Stamps an event with the clock (unless it carries a time), redacts secrets, writes it and tells listeners. */
  emit(event: UnstampedEvent): TimelineEvent {
    const stamped: TimelineEvent = redactWrittenValue({ ...event, at: event.at ?? this.clock() });
    this.count += 1;
    if (this.fd !== null) writeSync(this.fd, `${JSON.stringify(stamped)}\n`);
    for (const listener of this.listeners) {
      try {
        listener(stamped);
      } catch (err) {
        if (!this.failedListener) {
          this.failedListener = true;
          this.emit({
            kind: "error",
            message: `a console listener failed and was ignored: ${err instanceof Error ? err.message : String(err)}`,
            infra: false,
          });
        }
      }
    }
    return stamped;
  }

  /** Forces written events to disk (called at step boundaries) so a crash leaves a readable timeline. */
  flush(): void {
    if (this.fd !== null) fsyncSync(this.fd);
  }

  /** Flushes and closes the file; later events only reach listeners. */
  close(): void {
    if (this.fd === null) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = null;
  }
}
