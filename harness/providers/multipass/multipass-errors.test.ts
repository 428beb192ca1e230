import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { launchError, launchErrorText } from "./multipass-errors.ts";

const recordedDir = join(import.meta.dirname, "recorded");

/** A shell prompt line of the poster (`$ cmd`, `% cmd`, `user:~$ cmd`, or a bare `multipass ...` command line). */
const commandLine = /^((\$|%|\S+:~\$)(\s|$)|multipass\s)/;

/** What the last `multipass launch` in a recorded paste printed: the lines after its command line, up to the next prompt. */
function recordedLaunchOutput(file: string): string {
  const lines = readFileSync(join(recordedDir, file), "utf8").split("\n");
  const start = lines.findLastIndex((l) => commandLine.test(l) && /multipass.*\slaunch\s/.test(l));
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => commandLine.test(l));
  return (end < 0 ? rest : rest.slice(0, end)).join("\n");
}

describe("multipass launch errors", () => {
  it.each([
    {
      file: "launch-error-timeout-response-macos-2024.txt",
      code: "MULTIPASS_LAUNCH_TIMEOUT",
      text: "launch failed: The following errors occurred:\nubuntu: timed out waiting for response",
    },
    {
      file: "launch-error-timeout-response-1.4.0-win.txt",
      code: "MULTIPASS_LAUNCH_TIMEOUT",
      text: "launch failed: The following errors occurred:\nhost: timed out waiting for response",
    },
    {
      file: "launch-error-timeout-init-blueprint-2021.txt",
      code: "MULTIPASS_LAUNCH_TIMEOUT",
      text: "launch failed: The following errors occurred:\ntimed out waiting for initialization to complete",
    },
    {
      file: "launch-error-timeout-old-2019.txt",
      code: "MULTIPASS_LAUNCH_TIMEOUT",
      text: "launch failed: timed out waiting for instance to respond",
    },
    {
      file: "launch-error-already-exists-2022.txt",
      code: "MULTIPASS_INSTANCE_EXISTS",
      text: 'launch failed: instance "foo" already exists',
    },
    {
      file: "launch-error-image-not-found-1.7rc.txt",
      code: "MULTIPASS_IMAGE_NOT_FOUND",
      text: 'launch failed: Unable to find an image matching "minikube"',
    },
    {
      file: "launch-error-remote-unreachable-1.14.0.txt",
      code: "MULTIPASS_REMOTE_UNREACHABLE",
      text: 'launch failed: Remote "" is unknown or unreachable.',
    },
    {
      file: "launch-error-hash-mismatch-and-version-1.0.0-mac.txt",
      code: "MULTIPASS_IMAGE_CORRUPT",
      text: "launch failed: Downloaded image hash does not match",
    },
  ])("classifies $code (recorded $file)", ({ file, code, text }) => {
    const stderr = recordedLaunchOutput(file);
    expect(launchErrorText(stderr, "")).toBe(text);
    const error = launchError({
      instance: "h-20261123-184212-3f9a1c-node1",
      runId: "20261123-184212-3f9a1c",
      stderr,
      stdout: "",
      exitCode: 2,
      timeoutS: 600,
    });
    expect(error.code).toBe(code);
    expect(error.message).toBe(`multipass could not launch h-20261123-184212-3f9a1c-node1: ${text}`);
    expect(error.hint).toBeTruthy();
    expect(error.exitCode).toBe(4);
  });

  it("pins the timeout message and hint", () => {
    const error = launchError({
      instance: "h-20261123-184212-3f9a1c-node1",
      runId: "20261123-184212-3f9a1c",
      stderr: recordedLaunchOutput("launch-error-timeout-response-macos-2024.txt"),
      stdout: "",
      exitCode: 2,
      timeoutS: 600,
    });
    expect(error.hint).toMatchInlineSnapshot(
      `"multipass gave up after 600 s but the instance may still be provisioning: look at \`multipass info h-20261123-184212-3f9a1c-node1\`, raise the provider's launchTimeoutS on slow hosts, and remove leftovers with \`harness cleanup --run 20261123-184212-3f9a1c\`"`,
    );
  });

  it.each([
    {
      name: "unknown error text",
      stderr: "launch failed: something new\n",
      code: "MULTIPASS_LAUNCH_FAILED",
      what: "launch failed: something new",
    },
    {
      name: "no output at all",
      stderr: "",
      code: "MULTIPASS_LAUNCH_FAILED",
      what: "exit code 1 and no output",
    },
  ])("falls back to a generic error: $name", ({ stderr, code, what }) => {
    const error = launchError({ instance: "i", runId: "r", stderr, stdout: "", exitCode: 1, timeoutS: 600 });
    expect(error.code).toBe(code);
    expect(error.message).toBe(`multipass could not launch i: ${what}`);
    expect(error.hint).toContain("harness cleanup --run r");
  });
});
