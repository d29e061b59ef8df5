# The Kubernetes binaries local-up runs, and their versions. A release folder
# (KERNEL_SECRETS_KUBE_RELEASE_DIR, docs/local-cluster.md) holds kube-apiserver.xz,
# kube-controller-manager.xz, kube-scheduler.xz and optionally kubelet.xz, with SHA256SUMS.xz-files
# (of the archives) and SHA256SUMS (of the unpacked files). They are unpacked once into a cache
# outside the repo, keyed by version and by the checksums of what was unpacked; a later run finds
# the cache by that key and unpacks nothing.
# Sourced by local-up, after lib.sh.

kube_release_commands=(kube-apiserver kube-controller-manager kube-scheduler)
# A release may come without it: the node then runs scripts/build-kube's (node.sh, find_kubelet).
kube_release_optional_commands=(kubelet)

# Prints the line of checksum file FILE for NAME, or fails.
kube_release_sum_line() {
  local file=$1 name=$2
  grep -E "^[0-9a-f]{64}  $name\$" "$file"
}

# Prints the SHA256SUMS lines of the commands whose archive DIR holds: what the cache must contain.
# Dies if a required archive is missing or any archive has no checksum.
kube_release_sums() {
  local dir=$1 name
  for name in "${kube_release_commands[@]}" "${kube_release_optional_commands[@]}"; do
    if [[ ! -f "$dir/$name.xz" ]]; then
      [[ " ${kube_release_optional_commands[*]} " == *" $name "* ]] || die "$dir has no $name.xz"
      continue
    fi
    kube_release_sum_line "$dir/SHA256SUMS.xz-files" "$name.xz" >/dev/null ||
      die "$dir/SHA256SUMS.xz-files has no checksum for $name.xz"
    kube_release_sum_line "$dir/SHA256SUMS" "$name" || die "$dir/SHA256SUMS has no checksum for $name"
  done
}

# Unpacks DIR's archives into a new folder under CACHE_ROOT and prints the folder: each archive is
# checked before it is unpacked, each unpacked file after. The folder gets its final name only once
# everything in it is checked, so an interrupted run is never taken for a cache.
kube_release_unpack() {
  local dir=$1 cache_root=$2 sums=$3 key=$4 work name version
  command -v xz >/dev/null || die "unpacking $dir needs xz (Debian package xz-utils)"
  mkdir -p "$cache_root"
  work=$(mktemp -d "$cache_root/kube-release-unpacking.XXXXXX")
  chmod 0755 "$work"
  mkdir "$work/bin"
  while read -r _ name; do
    kube_release_sum_line "$dir/SHA256SUMS.xz-files" "$name.xz" |
      (cd "$dir" && sha256sum --check --quiet --strict) >&2 ||
      { rm -rf "$work"; die "$dir/$name.xz does not match SHA256SUMS.xz-files"; }
    xz -dc "$dir/$name.xz" >"$work/bin/$name"
  done <<<"$sums"
  (cd "$work/bin" && sha256sum --check --quiet --strict) <<<"$sums" >&2 ||
    { rm -rf "$work"; die "what $dir unpacks to does not match its SHA256SUMS"; }
  chmod 0755 "$work/bin"/*
  printf '%s\n' "$sums" >"$work/SHA256SUMS"
  version=$("$work/bin/kube-apiserver" --version | awk '{print $2}')
  [[ -n "$version" ]] || { rm -rf "$work"; die "$dir's kube-apiserver --version printed no version"; }
  # A concurrent run may have put the same release there first; its files are the same.
  mv -T "$work" "$cache_root/kube-release-$version-$key" 2>/dev/null || rm -rf "$work"
  echo "$cache_root/kube-release-$version-$key/bin"
}

# Prints the cached bin folder of release folder DIR, unpacking it first if no cache has its key.
kube_release_bin() {
  local dir=$1 cache_root=${KERNEL_SECRETS_CACHE:-/var/cache/kernel-secrets} sums key cached
  [[ -d "$dir" ]] || die "KERNEL_SECRETS_KUBE_RELEASE_DIR: $dir is not a folder"
  sums=$(kube_release_sums "$dir")
  key=$(sha256sum <<<"$sums" | cut -c1-12)
  for cached in "$cache_root"/kube-release-*-"$key"/bin; do
    [[ -d "$cached" ]] || continue
    echo "$cached"
    return 0
  done
  say "unpacking the Kubernetes release in $dir into $cache_root (once)"
  kube_release_unpack "$dir" "$cache_root" "$sums" "$key"
}

# Prints the minor version of Kubernetes binary BIN ("Kubernetes v1.32.0+k3s1" gives 32): local-up
# picks the flags of each component by it. scripts/build-kube's binaries carry no version stamp
# (v0.0.0-master); theirs is in the name of their cache folder, kube-<Debian version>
# (1.20.5+really1.20.2-...: upstream 1.20.2).
kube_minor_of() {
  local bin=$1 version folder
  version=$("$bin" --version) || die "$bin --version failed"
  if [[ "$version" =~ ^Kubernetes\ v1\.([0-9]+)\. ]]; then
    echo "${BASH_REMATCH[1]}"
    return 0
  fi
  folder=$(basename "$(dirname "$(dirname "$(realpath "$bin")")")")
  [[ "$folder" =~ ^kube-(.*really)?1\.([0-9]+)\. ]] ||
    die "$bin --version printed '$version', not 'Kubernetes v1.N.M', and its folder names no version"
  echo "${BASH_REMATCH[2]}"
}
