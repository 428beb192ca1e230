// `harness doctor`: which providers can run here and why not, KVM, free disk and memory, missing host packages.
import type { Command } from "commander";
import { ExitCode } from "../../errors.ts";
import { cacheDir } from "../../images/cache-dir.ts";
import { kvmUsable, parseAcceleratorRequest, readKvmFacts } from "../../providers/qemu/accelerator.ts";
import { detectProviders } from "../../providers/registry.ts";
import type { CliState } from "../main.ts";
import {
  availableMemoryBytes,
  formatDoctorReport,
  freeDiskBytes,
  missingHostTools,
  totalMemoryBytes,
  type DoctorReport,
} from "./doctor-report.ts";

/** Registers the command. */
export function registerDoctor(program: Command, state: CliState): void {
  program
    .command("doctor")
    .description("check this host: usable providers, KVM, free disk and memory, missing host packages")
    .option(
      "--accel <mode>",
      "QEMU accelerator to check: auto, kvm or tcg (default: HARNESS_QEMU_ACCEL or auto)",
    )
    .option("--hosts-file <file>", "hosts file to check the ssh provider with")
    .option("--json", "print the report as JSON")
    .action(async (opts: { accel?: string; hostsFile?: string; json?: boolean }) => {
      const accel = parseAcceleratorRequest(opts.accel ?? process.env.HARNESS_QEMU_ACCEL);
      const cache = cacheDir();
      const report: DoctorReport = {
        providers: await detectProviders({ accel, hostsFile: opts.hostsFile }),
        kvm: kvmUsable(await readKvmFacts()),
        disk: { path: cache, freeBytes: await freeDiskBytes(cache) },
        memory: { availableBytes: await availableMemoryBytes(), totalBytes: totalMemoryBytes() },
        missingTools: await missingHostTools(),
      };
      process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : formatDoctorReport(report));
      state.exitCode = report.providers.some((p) => p.available) ? ExitCode.ok : ExitCode.infra;
    });
}
