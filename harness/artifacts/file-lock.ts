// An exclusive lock file (O_EXCL create holding the holder's pid): a second builder waits, a dead holder's lock is broken.
import { mkdir, open, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { ExitCode, HarnessError } from "../errors.ts";

/** How long to wait for another process, and where to say that we wait. */
export interface FileLockOptions {
  waitMs: number;
  report?: (line: string) => void;
  /** What the holder is doing, for messages (`building <dir>`). */
  what: string;
}

/** Whether a process with this pid exists (signal 0). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs `fn` holding `lockFile`; waits for a live holder (up to `waitMs`), removes a dead holder's lock. */
export async function withFileLock<T>(
  lockFile: string,
  options: FileLockOptions,
  fn: () => Promise<T>,
): Promise<T> {
  await mkdir(path.dirname(lockFile), { recursive: true });
  const deadline = Date.now() + options.waitMs;
  let announced = false;
  for (;;) {
    try {
      const handle = await open(lockFile, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const holder = Number.parseInt(await readFile(lockFile, "utf8").catch(() => ""), 10);
      if (!Number.isInteger(holder) || !processExists(holder)) {
        await rm(lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new HarnessError("CACHE_LOCKED", `process ${holder} has been ${options.what} for too long`, {
          hint: `wait for it, or stop process ${holder} and remove ${lockFile}`,
          exitCode: ExitCode.infra,
        });
      }
      if (!announced) options.report?.(`waiting for process ${holder}, which is ${options.what}`);
      announced = true;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lockFile, { force: true });
  }
}
