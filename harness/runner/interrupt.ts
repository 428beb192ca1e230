// SIGINT/SIGTERM/SIGHUP/SIGQUIT handling: the first signal aborts the run (teardown still runs), a second one
// forces exit.

/**
 * The signals that end a run in order. SIGHUP comes with a closed terminal or SSH session, SIGQUIT with Ctrl-\;
 * left to Node's defaults they killed the harness without teardown or run.json's last write.
 */
export const interruptSignals: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"];

/** Watches for the interrupt signals while a run is active. */
export interface InterruptWatch {
  /** Aborted when the first signal arrives; its reason is the signal name. */
  signal: AbortSignal;
  /** Removes the handlers. */
  dispose(): void;
}

/** Installs handlers: first signal -> abort + `onFirst`; second -> `onSecond` (which should exit at once). */
export function watchInterrupts(
  onFirst: (signal: NodeJS.Signals) => void,
  onSecond: (signal: NodeJS.Signals) => void,
): InterruptWatch {
  const controller = new AbortController();
  const handler = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      onSecond(sig);
      return;
    }
    controller.abort(sig);
    onFirst(sig);
  };
  for (const s of interruptSignals) process.on(s, handler);
  return {
    signal: controller.signal,
    dispose: () => {
      for (const s of interruptSignals) process.off(s, handler);
    },
  };
}
