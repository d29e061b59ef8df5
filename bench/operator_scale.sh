#!/usr/bin/env bash
# The operator at scale (docs/benchmarks.md): its memory, the reconciles a burst of creates costs,
# how long the burst takes to reach every project's native Secret, what the admission webhooks
# cost a create (through an operator that stands by and through webhooks that do nothing, against
# no webhook at all), and how long one share takes to reach a community. Starts its own control
# plane without a node (scripts/local-up --no-node, loopback only) and removes it on exit.
#   bench/operator_scale.sh [--secrets N] [--projects P] [--profile FILE]
#     (default 10000 secrets, 200 projects; --profile records the standing-by operator's CPU profile
#     during the burst through its webhooks into FILE, with call graphs: perf report -i FILE)
# Prints figures and ratios against baselines measured in the same run; values are random and
# never printed.
set -euo pipefail
repo_root=$(cd "$(dirname "$0")/.." && pwd)
source "$repo_root/bench/lib.sh"

secrets=10000 projects=200 profile=
while (($#)); do
  case $1 in
    --secrets) secrets=$2; shift 2 ;;
    --projects) projects=$2; shift 2 ;;
    --profile) profile=$(realpath -m "$2"); shift 2 ;;
    *) echo "usage: bench/operator_scale.sh [--secrets N] [--projects P] [--profile FILE]" >&2; exit 2 ;;
  esac
done
[[ -z "$profile" ]] || command -v perf >/dev/null ||
  { echo "operator_scale: --profile needs perf (Debian package linux-perf)" >&2; exit 1; }
per_project=$((secrets / projects))
((per_project > 0)) || { echo "operator_scale: fewer secrets than projects" >&2; exit 2; }
secrets=$((per_project * projects))
community=scale
burst=${KERNEL_SECRETS_BUILD_DIR:-$repo_root/build}/bin/object_burst
[[ -x "$burst" ]] || { echo "operator_scale: build first ($burst is missing)" >&2; exit 1; }

export KERNEL_SECRETS_STATE_DIR=${KERNEL_SECRETS_STATE_DIR:-/tmp/ks-scale}
trap '"$repo_root/scripts/local-down" --purge >/dev/null 2>&1 || true' EXIT
"$repo_root/scripts/local-up" --no-node >/dev/null 2>&1
source "$KERNEL_SECRETS_STATE_DIR/env"
# The processes of the control plane, by the pid files local-up keeps (never by name).
prog=operator_scale
source "$repo_root/scripts/local/lib.sh"

# CPU seconds (user and system) that COMPONENT has used so far.
cpu_seconds() {
  awk -v ticks="$(getconf CLK_TCK)" '{print ($14 + $15) / ticks}' "/proc/$(component_pid "$1")/stat"
}

operator_memory() {
  local pid
  pid=$(component_pid operator)
  awk '/^VmRSS|^VmHWM/ {printf "%s %.1f MB  ", $1, $2 / 1024} END {print ""}' "/proc/$pid/status"
}

metrics() {
  curl -fsS --cacert "$KERNEL_SECRETS_WEBHOOK_CA" "https://127.0.0.1:$KERNEL_SECRETS_OPERATOR_PORT/metrics"
}

# Reconciles of KIND so far, whatever their result.
reconciles() {
  metrics | awk -v kind="$1" -F'[ ]' 'index($1, "kernel_secrets_reconciles_total{kind=\"" kind "\"") == 1 {n += $2}
    END {print n + 0}'
}

# Waits until no reconcile happened for 3 s: the operator's queue is empty.
wait_idle() {
  local before after
  while :; do
    before=$(reconciles secret)$(reconciles project)
    sleep 3
    after=$(reconciles secret)$(reconciles project)
    [[ "$before" != "$after" ]] || return 0
  done
}

# Creates namespaces PREFIX-0 .. PREFIX-(projects-1), projects of the community.
make_projects() {
  for ((p = 0; p < projects; p++)); do
    printf '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"%s-%d","labels":{"kernelsecrets.dev/project":"true","kernelsecrets.dev/community":"%s"}}}\n' \
      "$1" "$p" "$community"
  done | kubectl create -f - >/dev/null
}

# How many projects of PREFIX have a native Secret holding at least COUNT values (key names only
# are counted; no value is printed).
projects_holding() {
  kubectl get secrets -A -l app.kubernetes.io/managed-by=kernel-secrets -o json |
    jq --arg prefix "$1-" --argjson count "$2" \
      '[.items[] | select((.metadata.namespace | startswith($prefix)) and ((.data // {}) | length) >= $count)] | length'
}

wait_projects_holding() {
  until (($(projects_holding "$1" "$2") >= projects)); do sleep 0.5; done
}

sleep 2
echo "operator at start:            $(operator_memory)"

# The burst, through the webhooks.
make_projects scale
sleep 2  # the operator's caches take the new namespaces
secret_before=$(reconciles secret) project_before=$(reconciles project)
start=$(now)
with_webhooks=$("$burst" secrets scale "$projects" "$per_project")
wait_projects_holding scale "$per_project"
converged=$(elapsed "$start" "$(now)")
wait_idle
secret_reconciles=$(($(reconciles secret) - secret_before))
project_reconciles=$(($(reconciles project) - project_before))
echo "burst of $secrets secrets in $projects projects: $with_webhooks"
echo "converged (every native Secret holds its $per_project values) after $converged s"
echo "secret reconciles: $secret_reconciles ($(ratio "$secret_reconciles" "$secrets") per created secret)"
echo "project reconciles: $project_reconciles ($(ratio "$project_reconciles" "$projects") per project)"
echo "operator after the burst:     $(operator_memory)"

"$repo_root/scripts/local-restart" operator >/dev/null 2>&1
wait_idle
echo "operator after a restart:     $(operator_memory)"

# Fan-out: one share of a secret of project 0 into the community, until every project's native
# Secret holds it, against the baseline of writing one native Secret into each project.
kubectl apply -f - >/dev/null <<EOF
apiVersion: kernelsecrets.dev/v1alpha1
kind: Secret
metadata: {name: fanout, namespace: scale-0}
spec: {name: FANOUT-TOKEN, value: "$(openssl rand -hex 16)"}
EOF
wait_idle
start=$(now)
kubectl apply -f - >/dev/null <<EOF
apiVersion: kernelsecrets.dev/v1alpha1
kind: SecretShare
metadata: {name: fanout, namespace: scale-0}
spec: {secretName: fanout, community: $community}
EOF
wait_projects_holding scale "$((per_project + 1))"
fanout=$(elapsed "$start" "$(now)")
raw=$("$burst" native scale "$projects" fanout-baseline)
raw_seconds=$(awk '{print $6}' <<<"$raw")
echo "one share reaching $projects projects: $fanout s; $projects raw native Secret writes: $raw_seconds s;" \
  "ratio $(ratio "$fanout" "$raw_seconds")"

# Restarts the operator as a standby: another holder has its Lease for an hour, so the operator
# answers the webhooks from its cache and reconciles nothing. The burst through it then costs what
# the webhooks cost, and nothing of the reconciles, as the baseline (nothing running) has none.
restart_operator_as_standby() {
  local now
  now=$(date -u +%Y-%m-%dT%H:%M:%S.000000Z)
  kubectl apply -f - >/dev/null <<EOF
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: {name: kernel-secrets-operator, namespace: kernel-secrets}
spec: {holderIdentity: operator-scale-bench, leaseDurationSeconds: 3600, acquireTime: "$now", renewTime: "$now"}
EOF
  local -a argv probe
  mapfile -d '' -t argv <"$(component_argv_file operator)"
  mapfile -d '' -t probe <"$(component_probe_file operator)"
  local i
  for i in "${!argv[@]}"; do
    [[ ${argv[i]} == --leader-elect ]] && argv[i + 1]=true
  done
  argv+=(--identity operator-scale-standby)
  component_stop operator
  component_record operator argv probe
  component_start operator 120
}

# The floors of the webhooks here: bench/null_webhook (our HTTPS server and review parser, admitting
# every review unchanged, or with ARGS --mutate true adding an annotation) in the operator's place, on
# its port with its certificates.
restart_operator_as_null_webhook() {
  local -a argv probe null=("$(dirname "$burst")/null_webhook" "$@")
  mapfile -d '' -t argv <"$(component_argv_file operator)"
  mapfile -d '' -t probe <"$(component_probe_file operator)"
  local i
  for ((i = 1; i < ${#argv[@]}; i += 2)); do
    case ${argv[i]} in
      --kubeconfig | --tls-cert | --tls-key | --bind-address | --port | --log-format | --client-ca | --client-names)
        null+=("${argv[i]}" "${argv[i + 1]}") ;;
    esac
  done
  component_stop operator
  component_record operator null probe
  component_start operator 60
}

# baseline_burst PREFIX LINE_VAR CPU_VAR: creates the sealed Secret CRs of a baseline on fresh
# namespaces PREFIX-*; sets LINE_VAR to the burst's line and CPU_VAR to the API server's CPU seconds
# during it. A burst with a refused create ends the bench, as object_burst fails.
baseline_burst() {
  local -n line=$2 cpu=$3
  make_projects "$1"
  local before
  before=$(cpu_seconds kube-apiserver)
  line=$("$burst" sealed "$1" "$projects" "$per_project")
  cpu=$(elapsed "$before" "$(cpu_seconds kube-apiserver)")
}

# What the webhooks cost a create: the same burst through the operator as a standby, through
# webhooks that do nothing, through webhooks whose mutating one adds an annotation, then with no
# webhook and no operator, each on fresh namespaces. The three baselines create the Secret CRs as admission would have stored them (object_burst sealed), so the
# same objects reach etcd and pass the CRD's own rules. Last, because their content opens with no
# key (this cluster is purged on exit).
restart_operator_as_standby
make_projects standby
sleep 2  # the operator's caches take the new namespaces
if [[ -n "$profile" ]]; then
  perf record --quiet -g --call-graph dwarf,16384 -F 499 -p "$(component_pid operator)" -o "$profile" \
    >/dev/null 2>&1 &
  perf_pid=$!
fi
api_before=$(cpu_seconds kube-apiserver) operator_before=$(cpu_seconds operator)
through_standby=$("$burst" secrets standby "$projects" "$per_project")
api_with=$(elapsed "$api_before" "$(cpu_seconds kube-apiserver)")
operator_with=$(elapsed "$operator_before" "$(cpu_seconds operator)")
if [[ -n "$profile" ]]; then
  kill -INT "$perf_pid" && wait "$perf_pid" || true
  echo "the standing-by operator's profile during that burst: $profile"
fi
echo "the same burst through the webhooks, operator standing by: $through_standby"
restart_operator_as_null_webhook
baseline_burst floor through_null api_null
echo "the same burst through webhooks that admit everything unchanged: $through_null"
restart_operator_as_null_webhook --mutate true
baseline_burst mutating-floor through_mutating_null api_mutating_null
echo "the same burst through webhooks whose mutating one adds an annotation: $through_mutating_null"
kubectl delete mutatingwebhookconfiguration kernel-secrets-local-operator >/dev/null
kubectl delete validatingwebhookconfiguration kernel-secrets-local-operator >/dev/null
component_stop operator
baseline_burst plain without_webhooks api_without
echo "the same burst without webhooks: $without_webhooks"
per_create_ms() { awk -v s="$1" -v n="$secrets" 'BEGIN {printf "%.3f", s * 1000 / n}'; }
echo "CPU per create: API server $(per_create_ms "$api_with") ms through the webhooks," \
  "$(per_create_ms "$api_null") ms through the do-nothing ones," \
  "$(per_create_ms "$api_mutating_null") ms through the annotating ones," \
  "$(per_create_ms "$api_without") ms without (ratio $(ratio "$api_with" "$api_without"));" \
  "operator's webhooks and caches $(per_create_ms "$operator_with") ms"
rate() { awk '{print $8}' <<<"$1"; }
echo "creates through the webhooks / without (the webhooks' cost): $(ratio "$(rate "$through_standby")" \
  "$(rate "$without_webhooks")")"
echo "creates through webhooks that do nothing / without (the floor here): $(ratio "$(rate "$through_null")" \
  "$(rate "$without_webhooks")")"
echo "creates through webhooks that add an annotation / without (the floor of a mutating webhook):" \
  "$(ratio "$(rate "$through_mutating_null")" "$(rate "$without_webhooks")")"
echo "creates while the operator reconciles them / without: $(ratio "$(rate "$with_webhooks")" \
  "$(rate "$without_webhooks")")"
