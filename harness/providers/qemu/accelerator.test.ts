import { describe, expect, it } from "vitest";
import { chooseAccelerator, parseAcceleratorRequest, parseKvmFacts, type KvmFacts } from "./accelerator.ts";

const real: KvmFacts = { devKvmUsable: true, hardwareVirt: true, pvmModule: false };
const pvm: KvmFacts = { devKvmUsable: true, hardwareVirt: false, pvmModule: true };
const none: KvmFacts = { devKvmUsable: false, hardwareVirt: true, pvmModule: false };

describe("accelerator choice", () => {
  it.each([
    { request: "auto", facts: real, accel: "kvm", reason: /usable/ },
    { request: "auto", facts: pvm, accel: "tcg", reason: /TCG because .*kvm_pvm/ },
    { request: "auto", facts: none, accel: "tcg", reason: /TCG because \/dev\/kvm is missing/ },
    { request: "auto", facts: { ...real, hardwareVirt: false }, accel: "tcg", reason: /neither vmx nor svm/ },
    { request: "tcg", facts: real, accel: "tcg", reason: /requested/ },
    { request: "kvm", facts: pvm, accel: "kvm", reason: /KVM requested .*kvm_pvm/ },
  ] as const)("$request with $facts -> $accel", ({ request, facts, accel, reason }) => {
    const c = chooseAccelerator(request, facts);
    expect(c.accel).toBe(accel);
    expect(c.reason).toMatch(reason);
  });

  it("refuses --accel kvm without /dev/kvm and suggests tcg", () => {
    expect(() => chooseAccelerator("kvm", none)).toThrow(/--accel kvm was requested but \/dev\/kvm/);
  });

  it.each([
    { value: undefined, out: "auto" },
    { value: "KVM", out: "kvm" },
    { value: " tcg ", out: "tcg" },
  ])("parses $value", ({ value, out }) => {
    expect(parseAcceleratorRequest(value)).toBe(out);
  });

  it("rejects an unknown accelerator", () => {
    expect(() => parseAcceleratorRequest("hvf")).toThrow(/unknown QEMU accelerator "hvf"/);
  });

  it("reads vmx/svm flags and the kvm_pvm module", () => {
    const cpuinfo =
      "processor\t: 0\nflags\t\t: fpu vme sse2 svm\nprocessor\t: 1\nflags\t\t: fpu vme sse2 svm\n";
    const modules = "kvm_pvm 262144 0 - Live 0x0000000000000000\nkvm 1388544 1 kvm_pvm, Live 0x0\n";
    expect(parseKvmFacts(true, cpuinfo, modules)).toEqual({
      devKvmUsable: true,
      hardwareVirt: true,
      pvmModule: true,
    });
    expect(parseKvmFacts(false, "flags\t: fpu sse2\n", "")).toEqual({
      devKvmUsable: false,
      hardwareVirt: false,
      pvmModule: false,
    });
  });
});
