#!/usr/bin/env bash
# How long an edit takes to reach a kernel restarted inside a running notebook server (JupyterHub,
# Kubeflow), on the local cluster with its node (docs/benchmarks.md): from `kubectl apply` of a new
# value returning until the server pod's values volume holds it, and until a kernel restarted
# through the server's REST API has it, in two modes of 20 trials each (or TRIALS):
#   operator: as installed; the operator moves the pod's revision annotation, so the kubelet
#             rewrites the volume at once;
#   kubelet:  the pod hidden from the operator (its kernelsecrets.dev/delivery annotation removed),
#             so only the kubelet's periodic pod sync (syncFrequency) refreshes the volume.
# The baseline is a bare kernel restart with nothing changed. Run it on a cluster of scripts/local-up:
#   source <state dir>/env && bench/notebook_restart.sh [TRIALS]
# Values are random and never printed (compared by SHA-256).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

trials=${1:-20}
[[ -n "${KERNEL_SECRETS_NOTEBOOK_IMAGE:-}" ]] || {
  echo "notebook_restart: source the env file of scripts/local-up (started with its node) first" >&2
  exit 1
}
project=bench-notebook-restart-$$
pod=jupyter
trap 'kubectl delete namespace "$project" --wait=false >/dev/null 2>&1 || true' EXIT

in_server() { kubectl exec "$pod" -n "$project" -c notebook -- "$@"; }

apply_value() {
  kubectl apply -f - >/dev/null <<EOF
apiVersion: kernelsecrets.dev/v1alpha1
kind: Secret
metadata: {name: token, namespace: $project}
spec: {name: BENCH-TOKEN, value: "$1"}
EOF
}

create_server() {
  kubectl create -f - >/dev/null 2>&1 <<EOF
apiVersion: v1
kind: Pod
metadata: {name: $pod, namespace: $project, labels: {component: singleuser-server}}
spec:
  automountServiceAccountToken: false
  terminationGracePeriodSeconds: 0
  containers:
    - name: notebook
      image: $KERNEL_SECRETS_NOTEBOOK_IMAGE
      imagePullPolicy: Never
      env: [{name: JUPYTER_TOKEN, value: bench-$$}]
EOF
}

# SHA-256 of BENCH-TOKEN in the volume, and in the kernel's environment.
volume_hash() { in_server sha256sum /var/run/kernel-secrets/BENCH-TOKEN 2>/dev/null | cut -d' ' -f1; }
kernel_hash() { in_server notebook-client env-digests "$kernel" | jq -r '.["BENCH-TOKEN"] // ""'; }
restart_kernel() { in_server notebook-client restart "$kernel" >/dev/null; }


kubectl create namespace "$project" >/dev/null
kubectl label namespace "$project" kernelsecrets.dev/project=true >/dev/null
value=$(openssl rand -hex 16)
apply_value "$value"
until kubectl get secret kernel-secrets -n "$project" >/dev/null 2>&1; do sleep 0.1; done
until create_server; do sleep 0.5; done  # a new namespace has no ServiceAccount for a moment
until kernel=$(in_server notebook-client start 2>/dev/null | jq -r .id); do sleep 0.5; done
[[ "$(kernel_hash)" == "$(sha256 "$value")" ]] || { echo "notebook_restart: the first kernel lacks the value" >&2; exit 1; }

# A bare restart with nothing changed: the baseline of both modes.
baselines=()
for ((i = 1; i <= 5; i++)); do
  start=$(now)
  restart_kernel
  [[ "$(kernel_hash)" == "$(sha256 "$value")" ]] || { echo "notebook_restart: a restart lost the value" >&2; exit 1; }
  baselines+=("$(elapsed "$start" "$(now)")")
done
baseline=$(median "${baselines[@]}")
printf 'bare kernel restart (restart, then read its environment), median of 5: %.2f s\n' "$baseline"

# One mode's trials: each applies a new value, polls the volume until it holds it, then restarts
# the kernel and checks that the kernel has it.
run_mode() {
  local mode=$1 i start refreshed done_at
  local -a volume=() restarted=()
  printf '\n%-8s %5s %10s %10s\n' mode trial volume_s kernel_s
  for ((i = 1; i <= trials; i++)); do
    value=$(openssl rand -hex 16)
    apply_value "$value"
    start=$(now)
    until [[ "$(volume_hash)" == "$(sha256 "$value")" ]]; do sleep 0.1; done
    refreshed=$(now)
    restart_kernel
    [[ "$(kernel_hash)" == "$(sha256 "$value")" ]] || {
      echo "notebook_restart: a kernel restarted after the refresh lacks the value" >&2
      exit 1
    }
    done_at=$(now)
    volume+=("$(elapsed "$start" "$refreshed")") restarted+=("$(elapsed "$start" "$done_at")")
    printf '%-8s %5d %10.2f %10.2f\n' "$mode" "$i" "${volume[-1]}" "${restarted[-1]}"
  done
  printf '%s: apply to volume median %.2f s, p90 %.2f s, max %.2f s; apply to restarted kernel median %.2f s = %.2fx a bare restart, max %.2f s\n' \
    "$mode" "$(median "${volume[@]}")" "$(percentile 90 "${volume[@]}")" "$(maximum "${volume[@]}")" \
    "$(median "${restarted[@]}")" "$(ratio "$(median "${restarted[@]}")" "$baseline")" "$(maximum "${restarted[@]}")"
}

run_mode operator
kubectl annotate pod "$pod" -n "$project" kernelsecrets.dev/delivery- >/dev/null
sync_frequency=$(awk '/^syncFrequency:/ {print $2}' "${KERNEL_SECRETS_STATE_DIR:-/nonexistent}/node/kubelet/config.yaml" 2>/dev/null || true)
printf '\n(kubelet mode: this node'"'"'s kubelet syncs each pod every %s; the kubelet'"'"'s default is 1m)\n' "${sync_frequency:-?}"
run_mode kubelet
