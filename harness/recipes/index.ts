// The recipes every plan uses, in the order they render (within a phase, earlier recipes' steps run first).
import { bridgeDaemonSetRecipe } from "./bridge-cni-daemonset.ts";
import { bridgeCniRecipe } from "./bridge-cni.ts";
import { cniRecipe } from "./cni.ts";
import { containerdConfigRecipe } from "./containerd-config.ts";
import { containerdRecipe } from "./containerd.ts";
import { criDockerdRecipe } from "./cri-dockerd.ts";
import { dockerRecipe } from "./docker.ts";
import { faultRecipe } from "./faults/fault-recipe.ts";
import { kubeadmInitRecipe } from "./kubeadm-init.ts";
import { kubeadmJoinRecipe } from "./kubeadm-join.ts";
import { kubernetesNodeRecipe } from "./kubernetes-node.ts";
import { kubernetesPackagesRecipe } from "./kubernetes-packages.ts";
import { osPrepRecipe } from "./os-prep.ts";
import type { Recipe } from "./recipe.ts";
import { runcRecipe } from "./runc.ts";
import { workloadSmokeRecipe } from "./workload-smoke.ts";

/** Default recipe list for `planCell`. */
export const defaultRecipes: readonly Recipe[] = [
  osPrepRecipe,
  runcRecipe,
  containerdRecipe,
  dockerRecipe,
  criDockerdRecipe,
  kubernetesPackagesRecipe,
  kubernetesNodeRecipe,
  containerdConfigRecipe,
  faultRecipe,
  kubeadmInitRecipe,
  cniRecipe,
  bridgeDaemonSetRecipe,
  kubeadmJoinRecipe,
  bridgeCniRecipe,
  workloadSmokeRecipe,
];
