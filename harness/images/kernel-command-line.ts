// The kernel command line a machine boots with: the image's, with a scenario's arguments added or replacing by key.

function keyOf(arg: string): string {
  const eq = arg.indexOf("=");
  return eq === -1 ? arg : arg.slice(0, eq);
}

/**
 * The image's command line with `extra` applied: an argument whose key (the part before `=`) the image already
 * has replaces it in place, so the result never holds two values for one key (systemd and the kernel disagree
 * on which of two wins); the others are appended in order.
 */
export function kernelCommandLine(imageAppend: string, extra: readonly string[]): string {
  const args = imageAppend.split(/\s+/).filter((a) => a !== "");
  for (const arg of extra) {
    const at = args.findIndex((a) => keyOf(a) === keyOf(arg));
    if (at === -1) args.push(arg);
    else args[at] = arg;
  }
  return args.join(" ");
}
