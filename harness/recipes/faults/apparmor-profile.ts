// Fault apparmor-profile: reload a profile from /etc/apparmor.d, or remove a loaded one (bugs.md section 2).
import { quote } from "../shell.ts";
import type { FaultRenderer } from "./fault-renderer.ts";

/** A condition that holds when the profile is loaded (lines of the profiles file read `name (mode)`). */
const loaded = (profile: string) =>
  `PROFILE=${quote(profile)} awk '$1 == ENVIRON["PROFILE"] { found = 1 } END { exit !found }' /sys/kernel/security/apparmor/profiles`;

/** Reloads /etc/apparmor.d/<profile> with apparmor_parser -r, or removes the loaded profile through .remove. */
export const apparmorProfileFault: FaultRenderer<"apparmor-profile"> = (fault) => {
  const p = fault.profile;
  if (fault.action === "remove")
    return {
      description: `removes the loaded AppArmor profile ${p}: containerd reuses an already-loaded profile of that name instead of generating its own, so removing it lets the runtime's current profile (and its signal rules) take effect`,
      body: () => `if ${loaded(p)}; then
  printf '%s' ${quote(p)} > /sys/kernel/security/apparmor/.remove
  echo "harness: removed AppArmor profile ${p}"
else
  echo "harness: AppArmor profile ${p} is not loaded: nothing to remove"
fi
if ${loaded(p)}; then
  echo "harness: AppArmor profile ${p} is still loaded after removal" >&2
  exit 1
fi`,
      uploads: [],
      artifacts: [],
      timeoutMs: 60_000,
    };
  return {
    description: `reloads the AppArmor profile ${p} from /etc/apparmor.d with apparmor_parser -r, replacing whatever version is loaded`,
    body: () => `profile_file=/etc/apparmor.d/${quote(p)}
if [ ! -f "$profile_file" ]; then
  echo "harness: $profile_file does not exist: cannot reload AppArmor profile ${p}" >&2
  exit 1
fi
apparmor_parser -r "$profile_file"
if ! ${loaded(p)}; then
  echo "harness: AppArmor profile ${p} is not loaded after apparmor_parser -r" >&2
  exit 1
fi`,
    uploads: [],
    artifacts: [],
    timeoutMs: 60_000,
  };
};
