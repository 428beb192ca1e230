// How probe commands learn when the run started: an environment variable the runner sets, in guest epoch seconds.

/** Variable holding the run's start as whole seconds since the epoch on the guest's clock. */
export const runStartVariable = "HARNESS_RUN_STARTED_AT";

/** The probe command with the run's start exported in front of it (for every part of a pipeline). */
export function withRunStart(command: string, guestEpochSeconds: number): string {
  return `export ${runStartVariable}=${Math.floor(guestEpochSeconds)}; ${command}`;
}
