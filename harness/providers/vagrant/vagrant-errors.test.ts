import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { upError } from "./vagrant-errors.ts";

/** A fixture recorded on this machine, without its first line (the command that produced it). */
const recordedHere = (name: string): string =>
  readFileSync(join(import.meta.dirname, "fixtures", name), "utf8")
    .split("\n")
    .slice(1)
    .join("\n");

const base = {
  exitCode: 1,
  timedOut: false,
  runId: "20261123-184212-3f9a1c",
  logPath: "/r/vagrant-up.log",
  bootTimeoutS: 600,
};

describe("vagrant up errors", () => {
  it.each([
    {
      name: "box missing from the catalog",
      output:
        "Bringing machine 'h-x-cp' up with 'libvirt' provider...\n==> h-x-cp: Box 'harness/debian-13' could not be found. Attempting to find and install...\nThe box 'harness/debian-13' could not be found or\ncould not be accessed in the remote catalog.",
      code: "VAGRANT_BOX_NOT_FOUND",
    },
    {
      name: "provider plugin missing",
      output:
        "The provider 'libvirt' could not be found, but was requested to\nback the machine 'h-x-cp'. Please use a provider that exists.",
      code: "VAGRANT_PROVIDER_UNUSABLE",
    },
    {
      name: "libvirtd down",
      output:
        "Error while connecting to Libvirt: Error making a connection to libvirt URI qemu:///system:\nCall to virConnectOpen failed: Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory",
      code: "VAGRANT_LIBVIRT_UNREACHABLE",
    },
    {
      name: "boot timeout",
      output:
        'Timed out while waiting for the machine to boot. This means that\nVagrant was unable to communicate with the guest machine within\nthe configured ("config.vm.boot_timeout" value) time period.',
      code: "VAGRANT_BOOT_TIMEOUT",
    },
    { name: "something else", output: "An unexpected error occurred", code: "VAGRANT_UP_FAILED" },
  ])("classifies $name (documented format, not recorded)", ({ output, code }) => {
    const error = upError({ ...base, output });
    expect(error.code).toBe(code);
    expect(error.message).toContain("vagrant up failed: exit code 1:\n");
    expect(error.hint).toContain("(full log: /r/vagrant-up.log)");
    expect(error.exitCode).toBe(4);
  });

  it("says when vagrant up was killed for taking too long", () => {
    const error = upError({
      ...base,
      output: "Timed out while waiting for the machine to boot.",
      timedOut: true,
      exitCode: null,
    });
    expect(error.code).toBe("VAGRANT_UP_FAILED");
    expect(error.message).toBe("vagrant up failed: timed out");
  });

  it.each([
    {
      file: "up-libvirtd-not-running-2.3.4.txt",
      code: "VAGRANT_LIBVIRT_UNREACHABLE",
      last: "Call to virConnectOpen failed: Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory",
    },
    {
      file: "up-virtualbox-not-usable-2.3.4.txt",
      code: "VAGRANT_PROVIDER_UNUSABLE",
      last: "`VBoxManage` binary and add it to the PATH environmental variable.",
    },
  ])("classifies $code (recorded here, Vagrant 2.3.4: fixtures/$file)", ({ file, code, last }) => {
    const error = upError({ ...base, output: recordedHere(file) });
    expect(error.code).toBe(code);
    expect(error.message.split("\n").at(-1)).toBe(last);
  });
});
