// Console output for the CLI: errors as `error:` + `hint:`, colours only on a TTY without NO_COLOR.
import { HarnessError } from "../errors.ts";
import { terminalText } from "../terminal-text.ts";

/** Whether to colour output written to a stream. */
export function useColor(stream: NodeJS.WriteStream): boolean {
  return stream.isTTY === true && process.env.NO_COLOR === undefined && process.env.CI !== "true";
}

/** Wraps text in an ANSI colour when colour is on. */
export function paint(text: string, code: number, on: boolean): string {
  return on ? `\u001b[${code}m${text}\u001b[0m` : text;
}

/** Prints an error the user can act on; stack traces only with --verbose. Returns the exit code. */
export function reportError(
  err: unknown,
  verbose: boolean,
  stderr: NodeJS.WriteStream = process.stderr,
): number {
  const color = useColor(stderr);
  if (err instanceof HarnessError) {
    stderr.write(`${paint("error:", 31, color)} ${terminalText(err.message)}\n`);
    if (err.hint) stderr.write(`${paint("hint:", 36, color)} ${terminalText(err.hint)}\n`);
    if (verbose && err.stack) stderr.write(`${err.stack}\n`);
    if (verbose && err.cause instanceof Error && err.cause.stack)
      stderr.write(`caused by: ${err.cause.stack}\n`);
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  stderr.write(`${paint("error:", 31, color)} internal error: ${terminalText(message)}\n`);
  stderr.write(`${paint("hint:", 36, color)} run again with --verbose and report it with the output\n`);
  if (verbose && err instanceof Error && err.stack) stderr.write(`${err.stack}\n`);
  return 3;
}
