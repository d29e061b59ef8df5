#!/usr/bin/env bash
# The Helm chart against the real local API server: it lints, the API server accepts every object it
# renders (server-side dry run, so schemas and admission are checked without anything running), its
# containers run binaries this build produces, and a real install, upgrade and uninstall keep the
# keyring and the serving certificates as the chart promises. Needs KUBECONFIG (scripts/test sets it).
set -euo pipefail

repo_root="$(cd "$(dirname "$0")/../.." && pwd)"
build_bin="$1"
chart="$repo_root/charts/kernel-secrets"
helm="$("$repo_root/scripts/install-helm")"
namespace="kernel-secrets-chart-test-$$"
release="chart-test"

fail() { echo "chart test: FAILED: $*" >&2; exit 1; }

cleanup() {
  "$helm" uninstall "$release" -n "$namespace" --wait >/dev/null 2>&1 || true
  # The release's webhooks point at pods that never run here; never leave them behind.
  kubectl delete mutatingwebhookconfiguration,validatingwebhookconfiguration \
    -l "app.kubernetes.io/instance=$release" --ignore-not-found >/dev/null
  kubectl delete namespace "$namespace" --wait=false --ignore-not-found >/dev/null
}
trap cleanup EXIT

kubectl create namespace "$namespace" >/dev/null
"$helm" lint "$chart" >/dev/null 2>&1 || "$helm" lint "$chart" || fail "helm lint"

# Every object, as the API server would store it. --validate renders for the API versions this
# server has, but refuses to adopt the CRDs local-up installed, so those are rendered on their own.
render() {
  "$helm" template "$release" "$chart" -n "$namespace" "$@" \
    --set 'communityAdmins[0].community=physics' \
    --set 'communityAdmins[0].subjects[0].kind=Group' \
    --set 'communityAdmins[0].subjects[0].name=physics-admins' \
    --set 'communityAdmins[0].subjects[0].apiGroup=rbac.authorization.k8s.io'
}
rendered="$(render --validate --set crds.install=false)"
accepted="$(kubectl apply --dry-run=server -n "$namespace" -o json -f - <<<"$rendered")" ||
  fail "the API server refused a rendered object"
render --show-only templates/crds.yaml | kubectl apply --dry-run=server -f - >/dev/null ||
  fail "the API server refused the chart's CRDs"

# Each Deployment's container runs one of the binaries this build produces, under the same name.
commands="$(jq -r '.items[] | select(.kind == "Deployment") | .spec.template.spec.containers[].command[0]' <<<"$accepted")"
[[ "$(wc -l <<<"$commands")" == 2 ]] || fail "expected two Deployments, found commands: $commands"
for command in $commands; do
  [[ -x "$build_bin/$command" ]] || fail "a container runs $command, which the build does not produce"
done

# Install, upgrade and uninstall for real; nothing here starts pods, so only the objects are checked.
# CRDs stay with local-up, which installed them before this release existed.
secret_data() { kubectl get secret "$1" -n "$namespace" -o jsonpath='{.data}'; }
"$helm" install "$release" "$chart" -n "$namespace" --set crds.install=false >/dev/null ||
  fail "helm install"
keyring="$(secret_data "$release-kernel-secrets-keyring")"
operator_tls="$(secret_data "$release-kernel-secrets-operator-tls")"
[[ -n "$keyring" && -n "$operator_tls" ]] || fail "install created no keyring or no serving certificate"

"$helm" upgrade "$release" "$chart" -n "$namespace" --set crds.install=false --set injector.replicas=3 >/dev/null ||
  fail "helm upgrade"
[[ "$(secret_data "$release-kernel-secrets-keyring")" == "$keyring" ]] || fail "upgrade changed the keyring"
[[ "$(secret_data "$release-kernel-secrets-operator-tls")" == "$operator_tls" ]] ||
  fail "upgrade changed the operator's serving certificate"

"$helm" uninstall "$release" -n "$namespace" --wait >/dev/null || fail "helm uninstall"
[[ "$(secret_data "$release-kernel-secrets-keyring")" == "$keyring" ]] ||
  fail "uninstall deleted the keyring, without which no stored value can be read"

echo "chart test: passed"
