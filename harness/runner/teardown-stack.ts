// Teardowns registered before their setup runs, run in reverse order, each raced against a deadline.

/** One registered teardown. */
interface Teardown {
  title: string;
  run: () => Promise<void>;
}

/** What happened to one teardown when the stack ran. */
export interface TeardownResult {
  title: string;
  ok: boolean;
  error?: string;
  durationMs: number;
}

/** A last-in-first-out list of cleanups; `runAll` always runs every one, even when some fail or hang. */
export class TeardownStack {
  private readonly stack: Teardown[] = [];
  private ran = false;

  /** Registers a cleanup; call it BEFORE the setup it undoes, so a setup that fails halfway is still undone. */
  push(title: string, run: () => Promise<void>): void {
    this.stack.push({ title, run });
  }

  /** Whether runAll has been called. */
  get done(): boolean {
    return this.ran;
  }

  /** Runs every teardown in reverse order; each gets at most `deadlineMs`. Runs once; later calls return []. */
  async runAll(deadlineMs: number): Promise<TeardownResult[]> {
    if (this.ran) return [];
    this.ran = true;
    const results: TeardownResult[] = [];
    while (this.stack.length > 0) {
      const t = this.stack.pop()!;
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          t.run(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`did not finish within ${Math.round(deadlineMs / 1000)}s`)),
              deadlineMs,
            );
          }),
        ]);
        results.push({ title: t.title, ok: true, durationMs: performance.now() - started });
      } catch (err) {
        results.push({
          title: t.title,
          ok: false,
          error: err instanceof Error ? err.message : String(err),
          durationMs: performance.now() - started,
        });
      } finally {
        clearTimeout(timer);
      }
    }
    return results;
  }
}
