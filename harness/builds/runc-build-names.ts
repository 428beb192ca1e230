// The runc builds a scenario may name (`source: { from: build, build: <name> }`); their recipes are in runc-build-recipe.ts.

/** Names of the runc builds the harness makes on the host from Debian's archive. */
export const runcBuildNames = ["runc-rc93-unpatched", "runc-rc93-debian", "runc-1.1.5-debian"] as const;

/** A runc build name. */
export type RuncBuildName = (typeof runcBuildNames)[number];
