// The one clock of a run: host time in ms since the epoch, injected so tests can use a fake one.

/** Returns the current host time in ms since the epoch. */
export type Clock = () => number;

/** The real host clock. */
export const systemClock: Clock = () => Date.now();

/** A clock for tests: starts at `start` and moves only when told to. */
export function fakeClock(start: number): Clock & { advance(ms: number): void } {
  let t = start;
  const clock = (() => t) as Clock & { advance(ms: number): void };
  clock.advance = (ms: number) => {
    t += ms;
  };
  return clock;
}
