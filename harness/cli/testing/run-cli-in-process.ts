// Test support: runs the CLI's main() in this process and captures what it writes.
import { vi } from "vitest";
import { main } from "../main.ts";

/** What one in-process CLI call returned and wrote. */
export interface CliCapture {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `harness <args>` through main(), capturing stdout and stderr; `withoutTokens` unsets GITHUB_TOKEN and GH_TOKEN. */
export async function runCliInProcess(
  args: string[],
  options: { withoutTokens?: boolean } = {},
): Promise<CliCapture> {
  if (options.withoutTokens) {
    vi.stubEnv("GITHUB_TOKEN", undefined);
    vi.stubEnv("GH_TOKEN", undefined);
  }
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((t) => ((stdout += String(t)), true));
  const err = vi.spyOn(process.stderr, "write").mockImplementation((t) => ((stderr += String(t)), true));
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
