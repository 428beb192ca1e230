// Turns a failed `vagrant up` into a HarnessError: a known cause with its own hint, or the output tail and the log to read.
import { ExitCode, HarnessError } from "../../errors.ts";
import { outputTail } from "../run-tool.ts";

/** What the provider knows about the failed `vagrant up`. */
export interface UpFailure {
  output: string;
  exitCode: number | null;
  timedOut: boolean;
  runId: string;
  logPath: string;
  bootTimeoutS: number;
}

/** Known failures, matched on vagrant's own wording (documented messages of Vagrant 2.x and vagrant-libvirt). */
const upFailures: { code: string; pattern: RegExp; hint: (f: UpFailure) => string }[] = [
  {
    code: "VAGRANT_BOX_NOT_FOUND",
    pattern:
      /The box '[^']+' could not be found|could not be found or\s+could not be accessed in the remote catalog/,
    hint: () =>
      "add the box (`vagrant box add NAME FILE-OR-URL`, then `vagrant box list` shows it with its version) or point the provider's `boxes` option at one you have",
  },
  {
    code: "VAGRANT_PROVIDER_UNUSABLE",
    pattern: /The provider '[^']+' could not be found|is reporting that it isn't usable on this system/,
    hint: () =>
      "install the provider: `apt-get install vagrant-libvirt` (or `vagrant plugin install vagrant-libvirt`) for libvirt, VirtualBox (VBoxManage on PATH) for virtualbox",
  },
  {
    code: "VAGRANT_LIBVIRT_UNREACHABLE",
    pattern: /Error while connecting to [Ll]ibvirt|Failed to connect socket to '[^']*libvirt[^']*'/,
    hint: () =>
      "libvirtd is not running or not reachable: start it (`virtlogd -d && libvirtd -d`, or `systemctl start libvirtd`) and check the provider's libvirt.uri",
  },
  {
    code: "VAGRANT_BOOT_TIMEOUT",
    pattern: /Timed out while waiting for the machine to boot/,
    hint: (f) =>
      `the guest did not answer SSH within ${f.bootTimeoutS} s: look at its console, raise bootTimeoutS on slow (TCG) hosts, and remove the machines with \`harness cleanup --run ${f.runId}\``,
  },
];

/** The HarnessError for a failed `vagrant up`. */
export function upError(failure: UpFailure): HarnessError {
  const known = failure.timedOut ? undefined : upFailures.find((f) => f.pattern.test(failure.output));
  const tail = outputTail(failure.output, 8);
  const what = failure.timedOut
    ? "timed out"
    : `exit code ${String(failure.exitCode)}${tail === "" ? " and no output" : `:\n${tail}`}`;
  return new HarnessError(known?.code ?? "VAGRANT_UP_FAILED", `vagrant up failed: ${what}`, {
    hint: `${known?.hint(failure) ?? `read the whole output in ${failure.logPath}; remove what was created with \`harness cleanup --run ${failure.runId}\``} (full log: ${failure.logPath})`,
    exitCode: ExitCode.infra,
  });
}
