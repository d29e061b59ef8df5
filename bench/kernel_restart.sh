#!/usr/bin/env bash
# How long an edit takes to reach a user: from `kubectl apply` of a new value until a restarted
# kernel prints it, against the baseline of restarting the same kernel with nothing changed, on the
# local cluster with its node (docs/benchmarks.md). Run it on a cluster of scripts/local-up:
#   source <state dir>/env && bench/kernel_restart.sh [ROUNDS]
# Prints each round and the medians; values are random and never printed (compared by SHA-256).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

rounds=${1:-5}
[[ -n "${KERNEL_SECRETS_KERNEL_IMAGE:-}" ]] || {
  echo "kernel_restart: source the env file of scripts/local-up (started with its node) first" >&2
  exit 1
}
project=bench-kernel-restart-$$
pod=kernel
manifest_dir=$(mktemp -d)
trap 'kubectl delete namespace "$project" --wait=false >/dev/null 2>&1 || true; rm -rf "$manifest_dir"' EXIT


write_secret() {
  cat >"$manifest_dir/secret.yaml" <<EOF
apiVersion: kernelsecrets.dev/v1alpha1
kind: Secret
metadata: {name: token, namespace: $project}
spec: {name: BENCH-TOKEN, value: "$1"}
EOF
}

cat >"$manifest_dir/kernel.yaml" <<EOF
apiVersion: v1
kind: Pod
metadata: {name: $pod, namespace: $project, labels: {kernelsecrets.dev/inject: "true"}}
spec:
  automountServiceAccountToken: false
  terminationGracePeriodSeconds: 0
  containers:
    - name: kernel
      image: $KERNEL_SECRETS_KERNEL_IMAGE
      imagePullPolicy: Never
EOF

# SHA-256 of BENCH-TOKEN in the running kernel's own environment, once the kernel answers.
kernel_token_hash() {
  local environment
  until environment=$(kubectl exec "$pod" -n "$project" -- kernel-env 2>/dev/null); do sleep 0.1; done
  sha256 "$(jq -r '.["BENCH-TOKEN"] // ""' <<<"$environment")"
}

restart_kernel() {
  kubectl delete pod "$pod" -n "$project" --wait=true >/dev/null
  kubectl create -f "$manifest_dir/kernel.yaml" >/dev/null
}

revision() {
  kubectl get secret kernel-secrets -n "$project" -o jsonpath='{.metadata.annotations.kernelsecrets\.dev/revision}' 2>/dev/null
}

kubectl create namespace "$project" >/dev/null
kubectl label namespace "$project" kernelsecrets.dev/project=true >/dev/null
value=$(openssl rand -hex 16)
write_secret "$value"
kubectl apply -f "$manifest_dir/secret.yaml" >/dev/null
until [[ -n "$(revision)" ]]; do sleep 0.1; done
until kubectl create -f "$manifest_dir/kernel.yaml" >/dev/null 2>&1; do sleep 0.5; done  # the namespace's ServiceAccount
[[ "$(kernel_token_hash)" == "$(sha256 "$value")" ]] || { echo "kernel_restart: the first kernel lacks the value" >&2; exit 1; }

printf '%-6s %12s %12s %12s %12s\n' round restart_s apply_to_secret_s kernel_s apply_to_kernel_s
baselines=() totals=() reconciles=()
for ((i = 1; i <= rounds; i++)); do
  # Baseline: a restart with nothing changed.
  start=$(now)
  restart_kernel
  [[ "$(kernel_token_hash)" == "$(sha256 "$value")" ]] || { echo "kernel_restart: a restart lost the value" >&2; exit 1; }
  baseline=$(elapsed "$start" "$(now)")

  # An edit, then a restart once the project's native Secret has the new content.
  before=$(revision)
  value=$(openssl rand -hex 16)
  write_secret "$value"
  start=$(now)
  kubectl apply -f "$manifest_dir/secret.yaml" >/dev/null
  until [[ "$(revision)" != "$before" ]]; do sleep 0.05; done
  reconciled=$(now)
  restart_kernel
  until [[ "$(kernel_token_hash)" == "$(sha256 "$value")" ]]; do restart_kernel; done
  done_at=$(now)
  printf '%-6s %12.2f %12.2f %12.2f %12.2f\n' "$i" "$baseline" "$(elapsed "$start" "$reconciled")" \
    "$(elapsed "$reconciled" "$done_at")" "$(elapsed "$start" "$done_at")"
  baselines+=("$baseline") totals+=("$(elapsed "$start" "$done_at")") reconciles+=("$(elapsed "$start" "$reconciled")")
done

baseline=$(median "${baselines[@]}")
total=$(median "${totals[@]}")
printf '\nmedian of %d rounds: restart %.2f s; apply to native Secret %.2f s; apply to restarted kernel %.2f s = %.2fx a bare restart\n' \
  "$rounds" "$baseline" "$(median "${reconciles[@]}")" "$total" "$(ratio "$total" "$baseline")"
