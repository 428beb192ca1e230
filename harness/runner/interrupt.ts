// SIGINT/SIGTERM handling: the first signal aborts the run (teardown still runs), a second one forces exit.

/** Watches for SIGINT and SIGTERM while a run is active. */
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
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    },
  };
}
