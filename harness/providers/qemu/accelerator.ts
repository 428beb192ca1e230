// Chooses QEMU's accelerator: KVM only where /dev/kvm is real hardware virtualisation, TCG otherwise, always saying why.
import { constants } from "node:fs";
import { access, readFile, readdir } from "node:fs/promises";
import { HarnessError, UsageError } from "../../errors.ts";

/** What `--accel` / HARNESS_QEMU_ACCEL may say. */
export type AcceleratorRequest = "auto" | "kvm" | "tcg";

/** What the host offers for KVM. */
export interface KvmFacts {
  /** /dev/kvm exists and is readable and writable by us. */
  devKvmUsable: boolean;
  /** The CPU advertises vmx or svm. */
  hardwareVirt: boolean;
  /** A paravirtual KVM module (kvm_pvm) provides /dev/kvm: it cannot run our guests' kernels. */
  pvmModule: boolean;
}

/** The decision: which accelerator to boot with and why. */
export interface AcceleratorChoice {
  accel: "kvm" | "tcg";
  reason: string;
  /** True when KVM was asked for explicitly: a KVM failure is then an error, not a fallback. */
  explicit: boolean;
}

/** Parses the accelerator request from a flag value or the environment (HARNESS_QEMU_ACCEL). */
export function parseAcceleratorRequest(value: string | undefined): AcceleratorRequest {
  const v = (value ?? "auto").trim().toLowerCase();
  if (v === "auto" || v === "kvm" || v === "tcg") return v;
  throw new UsageError(
    `unknown QEMU accelerator "${value}"`,
    "use --accel auto, kvm or tcg (or HARNESS_QEMU_ACCEL)",
  );
}

/** Whether KVM can run guests here, with the reason either way. */
export function kvmUsable(facts: KvmFacts): { usable: boolean; reason: string } {
  if (!facts.devKvmUsable)
    return { usable: false, reason: "/dev/kvm is missing or not read-writable by this user" };
  if (facts.pvmModule) {
    return {
      usable: false,
      reason:
        "/dev/kvm is provided by kvm_pvm (nested paravirtual KVM): QEMU aborts (MSR 0x10a) or the guest stops in the kernel decompressor",
    };
  }
  if (!facts.hardwareVirt) return { usable: false, reason: "the CPU advertises neither vmx nor svm" };
  return { usable: true, reason: "/dev/kvm is usable and the CPU has hardware virtualisation" };
}

/** Picks the accelerator for a request given the host's facts. */
export function chooseAccelerator(request: AcceleratorRequest, facts: KvmFacts): AcceleratorChoice {
  if (request === "tcg") return { accel: "tcg", reason: "TCG requested", explicit: true };
  const kvm = kvmUsable(facts);
  if (request === "kvm") {
    if (!facts.devKvmUsable) {
      throw new HarnessError("KVM_UNAVAILABLE", `--accel kvm was requested but ${kvm.reason}`, {
        hint: "use --accel tcg (slower), or give this user access to /dev/kvm (group kvm)",
        exitCode: 2,
      });
    }
    return { accel: "kvm", reason: `KVM requested (${kvm.reason})`, explicit: true };
  }
  return kvm.usable
    ? { accel: "kvm", reason: kvm.reason, explicit: false }
    : { accel: "tcg", reason: `TCG because ${kvm.reason}`, explicit: false };
}

/** Reads the facts from /dev/kvm, /proc/cpuinfo and the loaded modules (/sys/module; /proc/modules may be hidden in containers). */
export async function readKvmFacts(): Promise<KvmFacts> {
  const devKvmUsable = await access("/dev/kvm", constants.R_OK | constants.W_OK).then(
    () => true,
    () => false,
  );
  const cpuinfo = await readFile("/proc/cpuinfo", "utf8").catch(() => "");
  const modules = await readFile("/proc/modules", "utf8").catch(() => "");
  const fromSys = await readdir("/sys/module").catch(() => [] as string[]);
  return parseKvmFacts(devKvmUsable, cpuinfo, [modules, ...fromSys.map((m) => `${m} `)].join("\n"));
}

/** Derives the facts from /proc/cpuinfo text and module lines (/proc/modules format; the first word is the name). */
export function parseKvmFacts(devKvmUsable: boolean, cpuinfo: string, modules: string): KvmFacts {
  const flags = cpuinfo
    .split("\n")
    .filter((l) => l.startsWith("flags"))
    .flatMap((l) => l.split(":")[1]?.trim().split(/\s+/) ?? []);
  return {
    devKvmUsable,
    hardwareVirt: flags.includes("vmx") || flags.includes("svm"),
    pvmModule: modules.split("\n").some((l) => l.startsWith("kvm_pvm ")),
  };
}
