// Recipe: a node of a Kubernetes release built here: checks the binaries the image carries, writes kubelet's units
// (upstream's kubelet.service and kubeadm drop-in), links Debian's CNI plugins, and imports the container images.
import { guestImagesDir } from "./data/kubernetes.ts";
import { crictlEndpoint, criSocketOf, kubernetesRelease } from "./kubernetes-versions.ts";
import { kubeletExtraArgsDescription, kubeletExtraArgsLine } from "./kubelet-extra-args.ts";
import type { Recipe } from "./recipe.ts";
import { scriptStep } from "./recipe-step.ts";
import { heredoc, quote } from "./shell.ts";

/** kubelet.service as the upstream packages ship it (kubernetes/release, build/debs), at /usr/local/bin. */
const kubeletUnit = `[Unit]
Description=kubelet: The Kubernetes Node Agent
Documentation=https://kubernetes.io/docs/home/
Wants=network-online.target
After=network-online.target

[Service]
ExecStart=/usr/local/bin/kubelet
Restart=always
StartLimitInterval=0
RestartSec=10

[Install]
WantedBy=multi-user.target`;

/** The kubeadm drop-in as the upstream packages ship it. */
const kubeadmDropIn = `[Service]
Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"
Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"
EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env
EnvironmentFile=-/etc/default/kubelet
ExecStart=
ExecStart=/usr/local/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS`;

/** Image archives only a control plane runs (its static pods); workers import the rest (kube-proxy, pause, smoke). */
const controlPlaneOnlyImages = ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd"];

/** Sets up the built binaries on every node of a scenario whose Kubernetes is built from Debian's source. */
export const kubernetesNodeRecipe: Recipe = {
  name: "kubernetes-node",
  plan({ scenario, machines }) {
    const { kubernetes } = scenario;
    if (kubernetes === "none") return { steps: [], artifacts: [] };
    const release = kubernetesRelease(kubernetes.version);
    if (release.source.from !== "debian-source") return { steps: [], artifacts: [] };
    const socket = criSocketOf(scenario);
    const docker = scenario.runtime.kind !== "containerd";
    const importCommand = docker ? `docker load -i "$tar"` : `ctr -n k8s.io images import "$tar"`;
    return {
      steps: [
        scriptStep({
          recipe: "kubernetes-node",
          name: "kubernetes-node",
          phase: "install-runtime",
          description: `check kubeadm, kubelet, kubectl and crictl ${release.version} in /usr/local/bin (built on the host from Debian's source, carried by the image), write kubelet.service and the kubeadm drop-in, link Debian's CNI plugins into /opt/cni/bin, ${docker ? `load the container images from ${guestImagesDir} with docker load` : `check that containerd's store holds the container images (the image build imported them on the host) and import from ${guestImagesDir} only what it lacks`} (workers skip the control plane's ${controlPlaneOnlyImages.join(", ")}); ${kubeletExtraArgsDescription(kubernetes)}; crictl pointed at ${crictlEndpoint(socket)}`,
          nodes: machines,
          body: (node) => `for b in kubeadm kubelet kubectl crictl; do
  if [ ! -x "/usr/local/bin/$b" ]; then
    echo "harness: /usr/local/bin/$b is missing: the image was built without the Kubernetes payload" >&2
    exit 1
  fi
done
version=$(kubeadm version -o short)
if [ "$version" != ${quote(`v${release.version}`)} ]; then
  echo "harness: kubeadm reports $version, expected v${release.version}" >&2
  exit 1
fi
mkdir -p /etc/systemd/system/kubelet.service.d /opt/cni/bin /etc/cni/net.d
cat > /etc/systemd/system/kubelet.service ${heredoc(kubeletUnit, "UNIT")}
cat > /etc/systemd/system/kubelet.service.d/10-kubeadm.conf ${heredoc(kubeadmDropIn, "UNIT")}
for plugin in /usr/lib/cni/*; do
  ln -sfn "$plugin" "/opt/cni/bin/$(basename "$plugin")"
done
${kubeletExtraArgsLine(kubernetes, node.privateIp)}
printf 'runtime-endpoint: %s\\nimage-endpoint: %s\\n' ${quote(crictlEndpoint(socket))} ${quote(crictlEndpoint(socket))} > /etc/crictl.yaml
started=$(date +%s)
imported=0
preloaded=0
${
  docker
    ? ""
    : `present=$(ctr -n k8s.io images ls -q)
`
}for tar in ${quote(guestImagesDir)}/*.tar; do
${
  node.role === "control-plane"
    ? ""
    : `  case "$(basename "$tar" .tar)" in
    ${controlPlaneOnlyImages.join(" | ")}) continue ;;
  esac
`
}${
            docker
              ? ""
              : `  # The image build put the images into containerd's store already (imported on the host): import what is missing.
  missing=0
  refs=0
  while read -r ref; do
    refs=$((refs + 1))
    grep -qxF -- "$ref" <<< "$present" || missing=1
  done < <(tar -xOf "$tar" --occurrence=1 index.json | grep -o '"io.containerd.image.name":"[^"]*"' | cut -d'"' -f4)
  if [ "$missing" = 0 ] && [ "$refs" -gt 0 ]; then
    preloaded=$((preloaded + 1))
    continue
  fi
`
          }  ${importCommand}
  imported=$((imported + 1))
done
echo "harness: $preloaded images were in containerd's store from the image build; imported $imported in $(( $(date +%s) - started )) s"
systemctl daemon-reload
systemctl enable kubelet
${docker ? "docker images" : "ctr -n k8s.io images ls -q"}
kubelet --version`,
          timeoutMs: 900_000,
        }),
      ],
      artifacts: [],
    };
  },
};
