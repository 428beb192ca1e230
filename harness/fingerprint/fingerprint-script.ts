// The bash script that fingerprints a node (fingerprint.sh, next to this file), as text for the runner to run.
import { readFileSync } from "node:fs";

/** The fingerprint script's text; run it with bash on a node as root and parse its stdout with parseFingerprint. */
export const fingerprintScript: string = readFileSync(new URL("./fingerprint.sh", import.meta.url), "utf8");
