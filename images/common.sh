# The build steps the images share, sourced by scripts/build-images. With the files of an image's
# own folder (its build.sh defines build_<stage>), this file is part of every image's cache key, so
# a change here rebuilds them all. Everything here runs as root under errexit, its output going to
# the image's build log. Uses $recipes (this folder) from scripts/build-images.

registry=kernel-secrets.local
suite=bookworm
debian_sources=/etc/apt/sources.list.d/debian.sources
container_path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# Makes the OCI layout LAYOUT hold the image the stage starts from, tagged REF: a copy of
# PARENT_REF from the archive PARENT_ARCHIVE, or an empty image.
start_layout() {
  local layout=$1 ref=$2 parent_archive=${3:-} parent_ref=${4:-}
  if [[ -n "$parent_archive" ]]; then
    mkdir "$layout"
    tar -xf "$parent_archive" -C "$layout"
    umoci tag --image "$layout:$parent_ref" "$ref"
    umoci rm --image "$layout:$parent_ref"
  else
    umoci init --layout "$layout"
    umoci new --image "$layout:$ref"
  fi
}

# Writes LAYOUT, without the blobs no tag reaches any more, as the OCI archive OUT. Its one tag is
# the full reference, which `ctr images import` takes as the image's name.
pack_layout() {
  umoci gc --layout "$1"
  tar -C "$1" -cf "$2" oci-layout index.json blobs
}

# Unpacks REF of LAYOUT into the runtime bundle BUNDLE (owners and modes kept: umoci runs as root),
# and adds what BUNDLE's rootfs has become as a new layer described by CREATED_BY.
unpack() { umoci unpack --image "$1:$2" "$3"; }
repack() { umoci repack --image "$1:$2" --history.created_by "$4" "$3"; }

# The URI of this machine's Debian mirror for $suite, read from its deb822 sources: the repo names
# no host.
debian_mirror() {
  awk -v suite="$suite" '
    BEGIN { RS = "" }  # one stanza per record
    {
      types = ""; uris = ""; suites = ""
      n = split($0, line, "\n")
      for (i = 1; i <= n; i++) {
        if (sub(/^Types:[ \t]*/, "", line[i])) types = " " line[i] " "
        else if (sub(/^URIs:[ \t]*/, "", line[i])) uris = line[i]
        else if (sub(/^Suites:[ \t]*/, "", line[i])) suites = " " line[i] " "
      }
      if (index(types, " deb ") && index(suites, " " suite " ")) { split(uris, uri, /[ \t]+/); print uri[1]; exit }
    }' "$debian_sources"
}

# Runs COMMAND... chrooted into ROOTFS with a clean environment and /proc and /dev mounted, in a
# mount namespace of its own: the mounts end with the command even if the build is killed, and no
# rm -rf of a build folder can reach the host's /dev through them.
in_rootfs() {
  local rootfs=$1
  shift
  # shellcheck disable=SC2016 # expanded by the inner shell
  unshare --mount --propagation private -- /bin/sh -ec '
    root=$1 path=$2
    shift 2
    mount -t proc proc "$root/proc"
    mount --rbind /dev "$root/dev"
    exec chroot "$root" /usr/bin/env -i PATH="$path" LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
  ' sh "$rootfs" "$container_path" "$@"
}

# The package names of a package list: one per line, # starts a comment.
package_names() { sed 's/#.*//' "$1" | xargs; }

# Installs the packages of LIST into ROOTFS from this machine's mirror, with this machine's resolver
# and the apt settings it needs to reach that mirror (a proxy, a snapshot's expired Valid-Until);
# tidy_rootfs removes both afterwards.
apt_install() {
  local rootfs=$1 list=$2
  cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
  apt-config dump | grep -E '^Acquire::(https?::Proxy|Check-Valid-Until|Check-Date)[ :]' \
    >"$rootfs/etc/apt/apt.conf.d/00build-host" || true
  # shellcheck disable=SC2016,SC2046 # expanded by the inner shell; one word per package
  in_rootfs "$rootfs" /bin/sh -ec 'apt-get update -qq; apt-get install -y -qq --no-install-recommends "$@"' \
    sh $(package_names "$list")
}

# Leaves nothing of the build in ROOTFS: apt's indexes and downloads, logs, and what was borrowed
# from this machine.
tidy_rootfs() {
  local rootfs=$1
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb \
    "$rootfs"/var/cache/debconf/*-old "$rootfs"/var/log/apt/* "$rootfs"/var/log/*.log \
    "$rootfs/etc/resolv.conf" "$rootfs/etc/hostname" "$rootfs/etc/apt/apt.conf.d/00build-host"
}
