#!/usr/bin/env bash
# The injector under load, against two peers answering the same review on the same machine
# (docs/benchmarks.md): nginx sending a fixed answer of the same size (the ceiling of a TLS server
# here) and agnhost's Go admission webhook (what a typical webhook does). One after another, each
# gets `wrk -t1 -c16` for --seconds over kept-alive TLS connections on 127.0.0.1, posting the same
# 3.2 KB kernel-pod AdmissionReview, and that --rounds times. Prints requests/s, p50/p99 latency and
# memory of each, and the injector's ratios to both per round and their medians: a ratio compares
# runs of one round, a minute apart at most, since this machine's load moves over minutes. The
# injector needs an API server for its cache of native Secrets: the script starts a control plane
# without node in its own state dir and stops it on exit.
set -euo pipefail
prog=injector_load
export KERNEL_SECRETS_STATE_DIR=${KERNEL_SECRETS_STATE_DIR:-/tmp/ks-injbench}
source "$(dirname "$0")/../scripts/local/lib.sh"
source "$(dirname "$0")/lib.sh"

usage() {
  cat <<EOF
Usage: bench/injector_load.sh [--seconds N] [--rounds N] [--profile FILE]

  --seconds N     How long wrk loads each server (default 10).
  --rounds N      How many times the three servers are loaded in turn (default 3). The whole run
                  takes about 3 x rounds x (seconds + 3) seconds more than the control plane's start
                  and stop (30 to 60 s).
  --profile FILE  Also record the injector's CPU profile during its load of the first round into
                  FILE, with call graphs (perf record; read it with perf report -i FILE). Costs the
                  injector some of its rate in that round.

Environment: KERNEL_SECRETS_STATE_DIR (default /tmp/ks-injbench), the control plane's state dir,
purged on exit; KERNEL_SECRETS_BUILD_DIR (default <repo>/build), where bin/ holds the injector.
EOF
}

seconds=10
rounds=3
profile=
while (($#)); do
  case $1 in
    --profile)
      [[ -n "${2:-}" ]] || die "--profile needs a file"
      profile=$(realpath -m "$2")
      shift 2
      ;;
    --seconds)
      [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || die "--seconds needs a whole number of seconds"
      seconds=$2
      shift 2
      ;;
    --rounds)
      [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || die "--rounds needs a whole number, at least 1"
      rounds=$2
      shift 2
      ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done

injector_bin=$build_dir/bin/kernel-secrets-injector
[[ -x "$injector_bin" ]] || die "no $injector_bin: build the product first (cmake --build $build_dir)"
# The cache path of scripts/build-kube, which builds agnhost beside the control plane.
agnhost_bin=${KERNEL_SECRETS_CACHE:-/var/cache/kernel-secrets}/kube-${KERNEL_SECRETS_KUBE_DEBIAN_VERSION:-1.20.5+really1.20.2-1.1+deb12u1}/bin/agnhost
fixture=$repo_root/tests/fixtures/admission/kernel-pod-of-enterprise-gateway.review.json

install_missing() {
  local missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  [[ -z "$profile" ]] || command -v perf >/dev/null || missing+=(linux-perf)
  [[ -x /usr/sbin/nginx ]] || missing+=(nginx-light)
  ((${#missing[@]} == 0)) && return 0
  say "installing ${missing[*]}"
  apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
    { apt-get update >/dev/null && apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; }
}

work=$(mktemp -d)
declare -A running=()  # pids of the processes started here and not yet stopped
control_plane=false
cleanup() {
  local pid
  for pid in "${!running[@]}"; do stop_server "$pid"; done
  if [[ "$control_plane" == true ]]; then "$repo_root/scripts/local-down" --purge >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

started() { running[$1]=1; }

stop_server() {
  unset "running[$1]"
  kill -TERM "$1" 2>/dev/null || return 0
  wait "$1" 2>/dev/null || true
}

make_certificate() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$work/tls.key" -out "$work/tls.crt" 2>/dev/null
}

# The bodies wrk posts: the fixture as an API server sends it, compact. agnhost mutates only the pod
# named webhook-to-be-mutated, so its copy carries that name (21 bytes shorter).
write_bodies() {
  jq -c . "$fixture" >"$work/body.json"
  jq -c '.request.name = "webhook-to-be-mutated" | .request.object.metadata.name = "webhook-to-be-mutated"' \
    "$fixture" >"$work/agnhost-body.json"
  cat >"$work/post.lua" <<'EOF'
local file = assert(io.open(os.getenv("BENCH_BODY"), "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("result %.0f %.3f %.3f %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout + e.status))
end
EOF
}

# The project the review's pod is created in, with a native Secret as the operator writes it: a few
# random values (never printed), its label and its two annotations. The injector reads the latter.
make_project() {
  mkdir -p "$work/values"
  local name
  for name in API_TOKEN DB_PASSWORD S3_SECRET_KEY; do openssl rand -hex 24 >"$work/values/$name"; done
  kubectl create namespace project-a >/dev/null
  kubectl label namespace project-a kernelsecrets.dev/project=true >/dev/null
  kubectl create secret generic kernel-secrets -n project-a --from-file="$work/values" >/dev/null
  kubectl label secret kernel-secrets -n project-a app.kubernetes.io/managed-by=kernel-secrets >/dev/null
  kubectl annotate secret kernel-secrets -n project-a kernelsecrets.dev/revision=bench1 \
    kernelsecrets.dev/secret-names=API_TOKEN,DB_PASSWORD,S3_SECRET_KEY >/dev/null
}

# post URL BODY: the server's answer to one review.
post() { curl -fsS -k -H 'Content-Type: application/json' --data-binary "@$2" "$1"; }

# Sum of VmHWM and of VmRSS, in MiB, over PID and its children (nginx's workers).
memory_of() {
  local pid hwm=0 rss=0 kib
  for pid in "$1" $(pgrep -P "$1" || true); do
    kib=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status") && hwm=$((hwm + kib))
    kib=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status") && rss=$((rss + kib))
  done
  awk -v h="$hwm" -v r="$rss" 'BEGIN {printf "%.1f %.1f\n", h / 1024, r / 1024}'
}

# load NAME URL BODY PID [WRAPPER...]: a second of warm-up, then the measured run; records
# "rate p50 p99 errors hwm rss" in results[NAME ROUND], of the round under way. WRAPPER runs wrk
# elsewhere (agnhost's netns).
declare -A results=()
round=1
load() {
  local name=$1 url=$2 body=$3 pid=$4
  shift 4
  BENCH_BODY=$body "$@" wrk -t1 -c16 -d1s -s "$work/post.lua" "$url" >/dev/null
  local line
  line=$(BENCH_BODY=$body "$@" wrk -t1 -c16 -d"${seconds}s" --timeout 5s -s "$work/post.lua" "$url" | grep '^result ')
  results[$name $round]="${line#result } $(memory_of "$pid")"
  say "round $round, $name: $(describe "$name $round")"
}

describe() {
  local rate p50 p99 errors hwm rss
  read -r rate p50 p99 errors hwm rss <<<"${results[$1]}"
  printf '%s req/s, p50 %s ms, p99 %s ms, %s errors, VmHWM %s MiB, VmRSS %s MiB' \
    "$rate" "$p50" "$p99" "$errors" "$hwm" "$rss"
}

wait_for_tls() { wait_until "$1" 30 curl -fsS -k -o /dev/null "$2"; }

bench_injector() {
  local port=$1 log=$work/injector.log
  "$injector_bin" --kubeconfig "$KUBECONFIG" --tls-cert "$work/tls.crt" --tls-key "$work/tls.key" \
    --bind-address 127.0.0.1 --port "$port" --kernel-selector kernelsecrets.dev/inject=true >"$log" 2>&1 &
  local pid=$!
  started "$pid"
  wait_for_tls "the injector" "https://127.0.0.1:$port/readyz"
  post "https://127.0.0.1:$port/mutate/pods" "$work/body.json" >"$work/injector-answer.json"
  jq -e '.response.patch' "$work/injector-answer.json" >/dev/null || die "the injector answered without a patch"
  local perf_pid=
  if [[ -n "$profile" && "$round" == 1 ]]; then
    perf record --quiet -g --call-graph dwarf,16384 -F 499 -p "$pid" -o "$profile" >/dev/null 2>&1 &
    perf_pid=$!
  fi
  load injector "https://127.0.0.1:$port/mutate/pods" "$work/body.json" "$pid"
  if [[ -n "$perf_pid" ]]; then
    kill -INT "$perf_pid" && wait "$perf_pid" || true
    say "the injector's profile: $profile (perf report -i $profile)"
  fi
  stop_server "$pid"
}

# nginx as root starts its workers as nobody: everything it reads or writes is in $work, and its
# answer is the injector's own, byte for byte.
bench_nginx() {
  local port=$1
  mkdir -p "$work/nginx"
  cat >"$work/nginx.conf" <<EOF
daemon off;
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$port ssl;
    ssl_certificate $work/tls.crt;
    ssl_certificate_key $work/tls.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    location / {
      default_type application/json;
      return 200 '$(<"$work/injector-answer.json")';
    }
  }
}
EOF
  /usr/sbin/nginx -c "$work/nginx.conf" -p "$work/nginx" -e "$work/nginx/error.log" &
  local pid=$!
  started "$pid"
  wait_for_tls nginx "https://127.0.0.1:$port/"
  cmp -s <(post "https://127.0.0.1:$port/mutate/pods" "$work/body.json") "$work/injector-answer.json" ||
    die "nginx does not answer what the injector answered"
  load nginx "https://127.0.0.1:$port/mutate/pods" "$work/body.json" "$pid"
  stop_server "$pid"
}

# True once PID (unshare) has left this shell's network namespace for its own.
own_network_namespace() { [[ "$(readlink "/proc/$1/ns/net")" != "$(readlink /proc/self/ns/net)" ]]; }

# agnhost listens on every interface, so it runs in a network namespace of its own that has only a
# loopback device, and wrk loads it from inside that namespace.
bench_agnhost() {
  local port=$1
  if [[ ! -x "$agnhost_bin" ]]; then
    say "agnhost: skipped, no $agnhost_bin (scripts/build-kube builds it)"
    return 0
  fi
  # unshare execs sh, which execs agnhost: the one pid is the server and names the namespace.
  unshare --net sh -c 'ip link set lo up && exec "$0" "$@"' "$agnhost_bin" webhook \
    --tls-cert-file "$work/tls.crt" --tls-private-key-file "$work/tls.key" --port "$port" >"$work/agnhost.log" 2>&1 &
  local pid=$!
  started "$pid"
  wait_until "agnhost's network namespace" 10 own_network_namespace "$pid"
  local -a in_netns=(nsenter --net="/proc/$pid/ns/net" --)
  wait_until agnhost 30 "${in_netns[@]}" curl -sS -k -o /dev/null "https://127.0.0.1:$port/"
  "${in_netns[@]}" curl -fsS -k -H 'Content-Type: application/json' --data-binary "@$work/agnhost-body.json" \
    "https://127.0.0.1:$port/mutating-pods" | jq -e '.response.patch' >/dev/null ||
    die "agnhost answered /mutating-pods without a patch"
  load agnhost "https://127.0.0.1:$port/mutating-pods" "$work/agnhost-body.json" "$pid" "${in_netns[@]}"
  stop_server "$pid"
}

# ratios FIELD NUMERATOR DENOMINATOR: the ratio of field FIELD (0: rate, 2: p99) of two servers in
# each round, formatted; nothing for a round the denominator did not run in.
ratios() {
  local r
  local -a top bottom
  for ((r = 1; r <= rounds; r++)); do
    [[ -n "${results[$3 $r]:-}" ]] || continue
    read -r -a top <<<"${results[$2 $r]}"
    read -r -a bottom <<<"${results[$3 $r]}"
    printf '%.2f\n' "$(ratio "${top[$1]}" "${bottom[$1]}")"
  done
}

# summary LABEL TARGET VALUE...: the values of each round and their median.
summary() {
  local label=$1 target=$2
  shift 2
  (($#)) || return 0
  printf '%-24s %-22s median %.2f%s\n' "$label" "$*" "$(median "$@")" "${target:+  (target $target)}"
}

report() {
  local name r
  printf '\n%-9s %5s %9s %9s %9s %7s %10s %10s\n' server round 'req/s' 'p50 ms' 'p99 ms' errors 'VmHWM MiB' 'VmRSS MiB'
  for ((r = 1; r <= rounds; r++)); do
    for name in injector nginx agnhost; do
      [[ -n "${results[$name $r]:-}" ]] || continue
      printf '%-9s %5s %9s %9s %9s %7s %10s %10s\n' "$name" "$r" ${results[$name $r]}
    done
  done
  echo
  local -a hwm=()
  for ((r = 1; r <= rounds; r++)); do hwm+=("$(awk '{print $5}' <<<"${results[injector $r]}")"); done
  # shellcheck disable=SC2046 # one ratio per round, one word each
  summary injector/nginx\ rate '>= 0.50' $(ratios 0 injector nginx)
  # shellcheck disable=SC2046
  summary injector/nginx\ p99 '<= 3' $(ratios 2 injector nginx)
  # shellcheck disable=SC2046
  summary injector/agnhost\ rate '' $(ratios 0 injector agnhost)
  summary 'injector VmHWM MiB' '<= 20' "${hwm[@]}"
}

install_missing
make_certificate
write_bodies
read -r injector_port nginx_port agnhost_port <<<"$(pick_ports 3 | paste -sd' ')"
say "starting a control plane without node in $state_dir"
control_plane=true
"$repo_root/scripts/local-up" --no-kernel-secrets --no-node >"$work/local-up.log" 2>&1 ||
  { tail -n 20 "$work/local-up.log" >&2; die "the control plane did not start"; }
source "$state_dir/env"
make_project
say "loading each server for ${seconds}s, $rounds round(s): wrk -t1 -c16, TLS, kept-alive connections, a $(wc -c <"$work/body.json")-byte review"
for ((round = 1; round <= rounds; round++)); do
  bench_injector "$injector_port"
  bench_nginx "$nginx_port"
  bench_agnhost "$agnhost_port"
done
report
