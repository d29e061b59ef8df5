# The local cluster's node (docs/local-cluster.md): containerd and runc from Debian, and
# kube-scheduler and the kubelet of the same Kubernetes build as the API server (or, for a release
# without a kubelet, scripts/build-kube's), all on 127.0.0.1 with their state under $state_dir/node.
# Pods use the host network or a network namespace with loopback only; images come from
# scripts/build-images, never from a registry.
# Sourced by local-up (start) and local-down (teardown), after lib.sh.

node_dir="$state_dir/node"
containerd_socket="$node_dir/containerd/containerd.sock"
# What node_prepare_host sets on the host: what docs/operations.md asks of the nodes that run the
# chart's pods on the host network, so that a stopping replica's accept backlog moves to the other
# listener of its port instead of being reset (Linux 5.14 and newer; older kernels lack it).
node_settings=()
if sysctl -n net.ipv4.tcp_migrate_req >/dev/null 2>&1; then node_settings+=(net.ipv4.tcp_migrate_req=1); fi
# What the kubelet and containerd change outside the state dir, and the settings above, undone by
# node_undo_host_changes.
node_sysctls=(vm.overcommit_memory kernel.panic kernel.panic_on_oops "${node_settings[@]%%=*}")
# Folders the kubelet and containerd write outside the state dir (pod logs; containerd's shim
# sockets, whose place is fixed), shared with any other node on this machine: of their entries only
# this node's pods' logs are removed, and a folder only if it is empty and was not there before.
node_host_dirs=(/var/log/pods /var/log/containers /run/containerd/s /run/containerd)
# This node's own cgroup tree in every hierarchy, so that two local nodes on one machine never manage
# (or, as orphans, kill) each other's pods, as two kubelets sharing /kubepods would.
node_cgroup_root=/kernel-secrets-node-$(printf '%s' "$state_dir" | sha256sum | cut -c1-12)

# The node's certificates: the kubelet serves on 127.0.0.1 with one from the local CA and talks to the
# API server as system:node:127.0.0.1 (the Node authorizer's convention); the API server calls the
# kubelet (logs, exec) as a client of its own; the scheduler has its client and serving pair.
node_generate_certificates() {
  new_cert kubelet-serving ca /CN=system:node:127.0.0.1 serverAuth IP:127.0.0.1
  new_cert kubelet ca "/O=system:nodes/CN=system:node:127.0.0.1" clientAuth
  new_cert apiserver-kubelet-client ca "/O=system:masters/CN=kube-apiserver-kubelet-client" clientAuth
  new_cert scheduler ca /CN=system:kube-scheduler clientAuth
  new_cert scheduler-serving ca /CN=kube-scheduler serverAuth IP:127.0.0.1,DNS:localhost
}

# Appends to the array named by $1 the API server's flags for the node: it reaches the kubelet by
# its loopback InternalIP and verifies the kubelet's certificate.
add_node_apiserver_flags() {
  local -n flags=$1
  flags+=(
    --kubelet-client-certificate="$pki/apiserver-kubelet-client.crt"
    --kubelet-client-key="$pki/apiserver-kubelet-client.key"
    --kubelet-certificate-authority="$pki/ca.crt"
    --kubelet-preferred-address-types=InternalIP,Hostname
  )
}

start_scheduler() {
  local kubeconfig="$state_dir/scheduler.kubeconfig"
  write_kubeconfig "$kubeconfig" scheduler
  local -a argv=(
    "$kube_bin/kube-scheduler"
    --kubeconfig="$kubeconfig"
    --bind-address=127.0.0.1
    --secure-port="$scheduler_port"
    --tls-cert-file="$pki/scheduler-serving.crt"
    --tls-private-key-file="$pki/scheduler-serving.key"
    --leader-elect=false
  )
  add_insecure_port_flag argv
  local -a probe=(curl -fsS --cacert "$pki/ca.crt" "https://127.0.0.1:$scheduler_port/healthz")
  component_record kube-scheduler argv probe
  component_start kube-scheduler 60
}

# Remembers what the kubelet and containerd will change on the host, before they run, sets the
# node's own settings, and makes the node's cgroup root, which the kubelet wants to exist.
node_prepare_host() {
  local sysctl setting dir
  for sysctl in "${node_sysctls[@]}"; do
    printf '%s=%s\n' "$sysctl" "$(sysctl -n "$sysctl")"
  done >"$node_dir/sysctls.before"
  for setting in "${node_settings[@]}"; do sysctl -q -w "$setting" >/dev/null; done
  for dir in "${node_host_dirs[@]}"; do
    if [[ -d "$dir" ]]; then echo "$dir"; fi
  done >"$node_dir/host-dirs.before"
  for dir in $(cgroup_hierarchies); do mkdir -p "$dir$node_cgroup_root"; done
}

# Every cgroup v1 hierarchy (and the unified one, if mounted), once each.
cgroup_hierarchies() {
  awk '$3 == "cgroup" || $3 == "cgroup2" {print $2}' /proc/self/mounts | sort -u
}

# The node's cgroup root in each hierarchy where it exists.
node_cgroups() {
  local dir
  for dir in $(cgroup_hierarchies); do
    if [[ -d "$dir$node_cgroup_root" ]]; then echo "$dir$node_cgroup_root"; fi
  done
}

node_install_cni() {
  # containerd sets up every pod's lo with it; without it no pod sandbox starts.
  [[ -x /usr/lib/cni/loopback ]] ||
    die "no CNI loopback plugin at /usr/lib/cni/loopback: install containernetworking-plugins (scripts/install-deps)"
  mkdir -p "$node_dir/cni/bin" "$node_dir/cni/net.d"
  ln -sf /usr/lib/cni/loopback "$node_dir/cni/bin/loopback"
  ln -sf "$repo_root/scripts/local/cni-loopback-only" "$node_dir/cni/bin/loopback-only"
  cat >"$node_dir/cni/net.d/10-loopback-only.conflist" <<EOF
{"cniVersion": "0.4.0", "name": "loopback-only", "plugins": [{"type": "loopback-only"}]}
EOF
}

# containerd's settings for this VM (docs/local-cluster.md): every path under the state dir;
# the root here lacks CAP_SYS_RESOURCE, hence restrict_oom_score_adj; no AppArmor, no hugetlb.
write_containerd_config() {
  local dir="$node_dir/containerd"
  mkdir -p "$dir"
  cat >"$dir/config.toml" <<EOF
version = 2
root = "$dir/root"
state = "$dir/state"
[grpc]
  address = "$containerd_socket"
[ttrpc]
  address = "$dir/containerd.sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$dir/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$pause_image"
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  restrict_oom_score_adj = true
  disable_apparmor = true
  tolerate_missing_hugetlb_controller = true
  disable_hugetlb_controller = true
  netns_mounts_under_state_dir = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        Root = "$dir/runc"
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$node_dir/cni/bin"
    conf_dir = "$node_dir/cni/net.d"
EOF
}

# Images are imported, never pulled: should a pod name an image that is not there, containerd's
# registry client may only reach a proxy address on loopback where nothing listens, so no name is
# ever resolved and nothing leaves the machine.
start_containerd() {
  write_containerd_config
  local -a argv=(
    env HTTP_PROXY="http://127.0.0.1:$closed_port" HTTPS_PROXY="http://127.0.0.1:$closed_port" NO_PROXY=
    containerd --config "$node_dir/containerd/config.toml"
  )
  local -a probe=(ctr --address "$containerd_socket" version)
  component_record containerd argv probe
  component_start containerd 60
}

# Builds (or finds cached) and imports the images pods here run; sets pause_image, kernel_image,
# notebook_image and, unless kernel-secrets is left out, product_image.
node_import_images() {
  local only=pause,kernel,notebook name ref archive
  [[ "$kernel_secrets" == none ]] || only+=,product
  while read -r name ref archive; do
    printf -v "${name}_image" '%s' "$ref"
  done < <("$repo_root/scripts/build-images" --build-dir "$build_dir" --only "$only" --import "$containerd_socket")
}

write_kubelet_config() {
  local dir="$node_dir/kubelet"
  mkdir -p "$dir"
  # Pods ask DNS only on loopback (their own, or the host's for host-network pods), where nothing
  # answers: no query leaves the machine, whatever the pod's dnsPolicy.
  echo "nameserver 127.0.0.1" >"$node_dir/resolv.conf"
  cat >"$dir/config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: 127.0.0.1
port: $kubelet_port
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $kubelet_healthz_port
tlsCertFile: $pki/kubelet-serving.crt
tlsPrivateKeyFile: $pki/kubelet-serving.key
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $pki/ca.crt}
authorization: {mode: Webhook}
cgroupDriver: cgroupfs
cgroupRoot: $node_cgroup_root
failSwapOn: false
# Lowering its own oom_score_adj needs CAP_SYS_RESOURCE, which this VM's root lacks.
oomScoreAdj: 0
# Mounted Secret volumes follow changes within seconds (the provisioner path reads them).
syncFrequency: 5s
makeIPTablesUtilChains: false
resolvConf: $node_dir/resolv.conf
clusterDNS: [127.0.0.1]
clusterDomain: cluster.local
# A test machine's disk is what it is: never evict the node's pods or collect its imported images.
evictionHard: {memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
EOF
  # From 1.27 on the runtime's endpoint is a setting of this file (the flag is deprecated).
  if ((kubelet_minor >= 27)); then
    echo "containerRuntimeEndpoint: unix://$containerd_socket" >>"$dir/config.yaml"
  fi
}

# Sets kubelet_bin and kubelet_minor: the kubelet of the control plane's release, or, if that
# release has none, scripts/build-kube's, which serves as the node of a newer control plane too
# (docs/local-cluster.md), though the skew is beyond what Kubernetes supports.
find_kubelet() {
  kubelet_bin=$kube_bin/kubelet
  [[ -x "$kubelet_bin" ]] || kubelet_bin=$(build_kube)/kubelet
  kubelet_minor=$(kube_minor_of "$kubelet_bin")
  [[ "$kubelet_bin" == "$kube_bin/kubelet" ]] ||
    say "the release in ${KERNEL_SECRETS_KUBE_RELEASE_DIR:-$kube_bin} has no kubelet:" \
      "the node runs scripts/build-kube's 1.$kubelet_minor kubelet," \
      "$((kube_minor - kubelet_minor)) minors older than the 1.$kube_minor control plane" \
      "(Kubernetes supports 3)"
}

# The kubelet refuses a loopback --node-ip; --hostname-override=127.0.0.1 makes the node's name and
# its InternalIP 127.0.0.1. Debian's 1.20 kubelet carries the in-tree AWS credential provider, which
# asks the EC2 metadata address 169.254.169.254 for credentials at start-up (seen with strace):
# AWS_EC2_METADATA_DISABLED stops that, and any other HTTP call off loopback goes to the closed proxy
# port, as containerd's do (Go never proxies loopback, so the API server is reached directly).
start_kubelet() {
  write_kubelet_config
  local kubeconfig="$state_dir/kubelet.kubeconfig"
  write_kubeconfig "$kubeconfig" kubelet
  local -a argv=(
    env AWS_EC2_METADATA_DISABLED=true
    HTTP_PROXY="http://127.0.0.1:$closed_port" HTTPS_PROXY="http://127.0.0.1:$closed_port" NO_PROXY=
    "$kubelet_bin"
    --config="$node_dir/kubelet/config.yaml"
    --kubeconfig="$kubeconfig"
    --hostname-override=127.0.0.1
    --root-dir="$node_dir/kubelet/root"
    --cert-dir="$node_dir/kubelet/pki"
    --volume-plugin-dir="$node_dir/kubelet/volume-plugins"
  )
  # 1.27 removed --container-runtime (remote is the only kind left); the sandbox image is
  # containerd's setting, and the flag that kept it from image garbage collection, which is off
  # here anyway, is deprecated.
  ((kubelet_minor >= 27)) || argv+=(
    --container-runtime=remote
    --container-runtime-endpoint="unix://$containerd_socket"
    --pod-infra-container-image="$pause_image"
  )
  local -a probe=(curl -fsS "http://127.0.0.1:$kubelet_healthz_port/healthz")
  component_record kubelet argv probe
  component_start kubelet 120
}

node_ready() {
  [[ "$(kubectl --kubeconfig "$state_dir/kubeconfig" get node 127.0.0.1 \
    -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" == True ]]
}

start_node() {
  local started=$SECONDS
  find_kubelet
  mkdir -p "$node_dir"
  node_prepare_host
  node_install_cni
  # containerd's config names the pause image, so it is built first; imported once containerd runs.
  pause_image=$("$repo_root/scripts/build-images" --only pause | awk '{print $2}')
  start_containerd
  node_import_images
  start_kubelet
  wait_until "node 127.0.0.1 to be Ready" 120 node_ready
  say "node 127.0.0.1 is Ready ($((SECONDS - started)) s)"
}

# --- teardown (local-down) ---

# Kills and deletes every container and pod sandbox of the node through containerd, which also
# ends their shims and unmounts their root file systems.
node_remove_containers() {
  component_running containerd || return 0
  local -a ctr=(ctr --address "$containerd_socket" --namespace k8s.io)
  local id
  for id in $("${ctr[@]}" tasks ls -q 2>/dev/null); do
    "${ctr[@]}" tasks kill --signal SIGKILL "$id" >/dev/null 2>&1 || true
  done
  for id in $("${ctr[@]}" tasks ls -q 2>/dev/null); do
    "${ctr[@]}" tasks delete --force "$id" >/dev/null 2>&1 || true
  done
  for id in $("${ctr[@]}" containers ls -q 2>/dev/null); do
    "${ctr[@]}" containers delete "$id" >/dev/null 2>&1 || true
  done
}

# Prints "PID COMMAND LINE" for every process whose command line (arguments joined by spaces, one
# after the last) contains TEXT.
processes_naming() {
  local text=$1 cmdline line pid
  for cmdline in /proc/[0-9]*/cmdline; do
    line=$(tr '\0' ' ' 2>/dev/null <"$cmdline") || continue
    [[ "$line" == *"$text"* ]] || continue
    pid=${cmdline#/proc/}
    echo "${pid%/cmdline} $line"
  done
}

# Shims that outlived their tasks: found by the containerd address on their command line (this
# node's own socket path), then stopped by pid.
node_stop_leftover_shims() {
  local pid line
  while read -r pid line; do
    say "stopping a leftover containerd shim (pid $pid)"
    kill -KILL "$pid" 2>/dev/null || true
  done < <(processes_naming "-address $containerd_socket ")
}

# Mount points under the state dir, deepest first.
mounts_under_state_dir() {
  awk -v root="$state_dir/" 'index($5, root) == 1 {print $5}' /proc/self/mountinfo | sort -r
}

# Unmounts everything mounted under the state dir (container root file systems, Secret volumes,
# network namespaces).
node_unmount_all() {
  local mount_point
  mounts_under_state_dir | while read -r mount_point; do
    umount "$mount_point" 2>/dev/null || umount -l "$mount_point" || say "could not unmount $mount_point"
  done
}

# Puts back what the kubelet and containerd changed outside the state dir.
node_undo_host_changes() {
  [[ -d "$node_dir" ]] || return 0
  local line dir uid link
  if [[ -f "$node_dir/sysctls.before" ]]; then
    while read -r line; do sysctl -q -w "$line" >/dev/null || say "could not restore $line"; done <"$node_dir/sysctls.before"
  fi
  # The node's cgroups, innermost first; a cgroup v1 directory goes with rmdir only.
  for dir in $(node_cgroups); do
    find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null || say "could not remove cgroup $dir"
  done
  # The logs of this node's pods (named <namespace>_<pod>_<uid>; the uids are the kubelet's pod dirs),
  # and the links to them.
  for uid in $(ls "$node_dir/kubelet/root/pods" 2>/dev/null); do
    rm -rf /var/log/pods/*_"$uid"
  done
  for link in /var/log/containers/*; do
    if [[ -L "$link" && ! -e "$link" ]]; then rm -f "$link"; fi
  done
  for dir in "${node_host_dirs[@]}"; do
    grep -qxF "$dir" "$node_dir/host-dirs.before" 2>/dev/null || rmdir "$dir" 2>/dev/null || true
  done
}

# Prints what a stopped node left behind, one line each: processes started from the state dir (their
# command line names it), mounts under it, the node's cgroups. Nothing, once local-down is done.
node_leftovers() {
  processes_naming "$state_dir/" | cut -c1-120 | sed 's/^/process /'
  mounts_under_state_dir | sed 's/^/mount /'
  node_cgroups | sed 's/^/cgroup /'
}
