# Shared by the local-* scripts, scripts/test and scripts/demo: where things live, messages, and
# the processes of the local control plane. A component is recorded once by local-up (its exact
# argv and the probe that says it is ready) so that local-restart and local-down act on exactly that
# process, found by its pid file, never by name.
# Sourced, not run; callers set `set -euo pipefail` and `prog` (the name shown in messages).

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
state_dir=${KERNEL_SECRETS_STATE_DIR:-/tmp/kernel-secrets-local}
build_dir=${KERNEL_SECRETS_BUILD_DIR:-$repo_root/build}
state_marker=.kernel-secrets-state

say() { printf '%s: %s\n' "$prog" "$*" >&2; }
die() { say "error: $*"; exit 1; }

# Under errexit a failed command ends the script silently; name it instead.
set -E
trap 'say "error: \"$BASH_COMMAND\" failed (${BASH_SOURCE[0]##*/} line $LINENO)"' ERR

# The marker tells a state dir local-up made from any other folder: only ours is ever emptied.
state_dir_is_ours() { [[ -f "$state_dir/$state_marker" ]]; }

# Configures build dir DIR (CMake and Ninja, extra ARGS passed on) to compile through ccache, whose
# cache lives outside the repository: a fresh clone, CI's, recompiles only what no earlier build on
# this machine compiled. Paths are hashed relative to the clone, so clones in other folders share
# it. The settings are part of the launcher, so a plain `cmake --build DIR` uses them too.
configure_build() {
  local dir=$1
  shift
  local launcher="env;CCACHE_DIR=${KERNEL_SECRETS_CACHE:-/var/cache/kernel-secrets}/ccache"
  launcher+=";CCACHE_BASEDIR=$repo_root;CCACHE_NOHASHDIR=true;ccache"
  cmake -S "$repo_root" -B "$dir" -G Ninja \
    -DCMAKE_CXX_COMPILER_LAUNCHER="$launcher" -DCMAKE_C_COMPILER_LAUNCHER="$launcher" "$@" >/dev/null
}

# Builds the product into $build_dir (the one step scripts/test and scripts/demo share).
build_product() {
  say "building into $build_dir"
  configure_build "$build_dir"
  cmake --build "$build_dir" --parallel "${CMAKE_BUILD_PARALLEL_LEVEL:-2}"
}

# Polls COMMAND every half second until it succeeds; after TIMEOUT seconds, gives up with a
# message naming WHAT was awaited.
wait_until() {
  local what=$1 timeout=$2
  shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "gave up after ${timeout}s waiting for $what"
    sleep 0.5
  done
}

# Free loopback TCP ports, distinct, below the kernel's ephemeral range so that no outgoing
# connection takes one before its server binds it.
pick_ports() {
  local count=$1 port
  local -A taken=()
  for port in $(ss -Htln | awk '{sub(/.*:/, "", $4); print $4}'); do taken[$port]=1; done
  while ((count > 0)); do
    port=$((20000 + RANDOM % 12000))
    [[ -z "${taken[$port]:-}" ]] || continue
    taken[$port]=1
    echo "$port"
    count=$((count - 1))
  done
}

component_argv_file() { echo "$state_dir/commands/$1.argv"; }
component_probe_file() { echo "$state_dir/commands/$1.ready"; }
component_pid_file() { echo "$state_dir/pids/$1.pid"; }
component_log_file() { echo "$state_dir/logs/$1.log"; }

# Records component NAME: the arrays named by ARGV_VAR (its command line) and PROBE_VAR (a command
# that succeeds once it is ready), NUL-separated so that no argument is ever re-split or evaluated.
component_record() {
  local name=$1
  local -n record_argv=$2 record_probe=$3
  mkdir -p "$state_dir/commands"
  printf '%s\0' "${record_argv[@]}" >"$(component_argv_file "$name")"
  printf '%s\0' "${record_probe[@]}" >"$(component_probe_file "$name")"
}

component_recorded() { [[ -f "$(component_argv_file "$1")" ]]; }

# Prints "STATE START_TIME" of process PID from /proc (start time in clock ticks since boot).
process_state_and_start() {
  local stat fields
  { stat=$(<"/proc/$1/stat"); } 2>/dev/null || return 1
  # Fields after the command name, which is in parentheses and may hold spaces.
  read -r -a fields <<<"${stat##*) }"
  echo "${fields[0]} ${fields[19]}"
}

# Prints the pid of component NAME if the process local-up started is still running. The pid alone
# is not trusted (pids are reused): the process must also have the start time recorded with it.
component_pid() {
  local name=$1 pid_file pid state start
  pid_file=$(component_pid_file "$name")
  [[ -f "$pid_file" && -f "$pid_file.start" ]] || return 1
  pid=$(<"$pid_file")
  read -r state start < <(process_state_and_start "$pid") || return 1
  [[ "$state" != Z && "$start" == "$(<"$pid_file.start")" ]] || return 1
  echo "$pid"
}

component_running() { component_pid "$1" >/dev/null; }

# Starts component NAME from its record, detached from this shell (its own session, so a Ctrl-C
# here does not reach it), and waits until its probe succeeds or it exits.
component_start() {
  local name=$1 timeout=${2:-90} log pid
  local -a argv probe
  mapfile -d '' -t argv <"$(component_argv_file "$name")"
  mapfile -d '' -t probe <"$(component_probe_file "$name")"
  log=$(component_log_file "$name")
  mkdir -p "$state_dir/logs" "$state_dir/pids"
  say "starting $name (log: $log)"
  setsid "${argv[@]}" >>"$log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$(component_pid_file "$name")"
  process_state_and_start "$pid" | cut -d' ' -f2 >"$(component_pid_file "$name").start"
  local deadline=$((SECONDS + timeout))
  until "${probe[@]}" >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 20 "$log" >&2 || true
      die "$name exited during start-up; its log is $log"
    fi
    ((SECONDS < deadline)) || die "$name is not ready after ${timeout}s; its log is $log"
    sleep 0.5
  done
  say "$name is ready (pid $pid)"
}

# Stops component NAME if it runs: SIGTERM, then SIGKILL after 10 seconds. (kube-apiserver keeps
# running up to a minute after SIGTERM until every watch has ended; nothing here needs that.)
component_stop() {
  local name=$1 pid
  if pid=$(component_pid "$name"); then
    say "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 10)) killed=false
    while component_running "$name"; do
      if [[ "$killed" == false ]] && ((SECONDS >= deadline)); then
        say "$name still runs 10s after SIGTERM; sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        killed=true
      fi
      sleep 0.2
    done
  fi
  rm -f "$(component_pid_file "$name")" "$(component_pid_file "$name").start"
}

# Components in start order; local-down stops them in reverse.
all_components=(etcd kube-apiserver kube-controller-manager kube-scheduler containerd kubelet operator injector)
