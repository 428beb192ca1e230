// Turns a failed `multipass launch` (plain text on stderr, padded by the spinner) into a HarnessError with a hint.
import { ExitCode, HarnessError } from "../../errors.ts";
import { outputTail } from "../run-tool.ts";

/** What the provider knows about the failed launch, for the message and hint. */
export interface LaunchFailure {
  instance: string;
  runId: string;
  stderr: string;
  stdout: string;
  exitCode: number | null;
  timeoutS: number;
}

/** The known launch failures: a pattern on the error text, a code, and what the user should do. */
const launchFailures: { code: string; pattern: RegExp; hint: (f: LaunchFailure) => string }[] = [
  {
    code: "MULTIPASS_LAUNCH_TIMEOUT",
    pattern: /timed out waiting for (response|initialization to complete|instance to respond)/i,
    hint: (f) =>
      `multipass gave up after ${f.timeoutS} s but the instance may still be provisioning: look at \`multipass info ${f.instance}\`, raise the provider's launchTimeoutS on slow hosts, and remove leftovers with \`harness cleanup --run ${f.runId}\``,
  },
  {
    code: "MULTIPASS_INSTANCE_EXISTS",
    pattern: /instance "[^"]*" already exists/i,
    hint: (f) =>
      `an instance with this name is left over from an earlier attempt: run \`harness cleanup --run ${f.runId}\` (or \`multipass delete --purge ${f.instance}\`) and try again`,
  },
  {
    code: "MULTIPASS_IMAGE_NOT_FOUND",
    pattern: /Unable to find an image matching/i,
    hint: () =>
      "`multipass find` lists the images this multipass knows; the harness launches the pinned aliases 22.04 and 24.04, which need an up-to-date multipass and a reachable image server",
  },
  {
    code: "MULTIPASS_REMOTE_UNREACHABLE",
    pattern: /Remote "[^"]*" is unknown or unreachable/i,
    hint: () =>
      "multipass could not reach its image server: check the host's network and proxy settings (`multipass find` must work), then retry",
  },
  {
    code: "MULTIPASS_IMAGE_CORRUPT",
    pattern: /Downloaded image hash does not match/i,
    hint: () =>
      "the image download was corrupted: retry; if it keeps failing, restart multipassd to drop its partial download and retry",
  },
];

/** The lines of multipass's error, without the spinner's padding or blank lines. */
export function launchErrorText(stderr: string, stdout: string): string {
  const text = outputTail(stderr) || outputTail(stdout);
  const start = text.search(/launch failed:/i);
  return (start < 0 ? text : text.slice(start)).trim();
}

/** The HarnessError for a failed launch: a known cause with its own hint, or the generic failure with the output tail. */
export function launchError(failure: LaunchFailure): HarnessError {
  const text = launchErrorText(failure.stderr, failure.stdout);
  const known = launchFailures.find((f) => f.pattern.test(text));
  const what = text === "" ? `exit code ${String(failure.exitCode)} and no output` : text;
  return new HarnessError(
    known?.code ?? "MULTIPASS_LAUNCH_FAILED",
    `multipass could not launch ${failure.instance}: ${what}`,
    {
      hint:
        known?.hint(failure) ??
        `run \`multipass launch\` by hand with the same arguments to see the whole error; \`multipass version\` must show a running multipassd. Remove leftovers with \`harness cleanup --run ${failure.runId}\``,
      exitCode: ExitCode.infra,
    },
  );
}
