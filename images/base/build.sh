# The recipe of the base stage (sourced by scripts/build-images, which calls build_base LAYOUT REF
# WORK): debootstrap's minbase rootfs of $suite, without documentation, with this machine's Debian
# sources. The kernel and the product images are built on it, and share its layer.
build_base() {
  local layout=$1 ref=$2 work=$3 mirror rootfs=$3/bundle/rootfs
  mirror=$(debian_mirror)
  [[ -n "$mirror" ]] || die "no deb entry for $suite in $debian_sources"
  unpack "$layout" "$ref" "$work/bundle"
  # A mount namespace of its own: debootstrap mounts /proc and /sys in the rootfs.
  unshare --mount --propagation private -- \
    debootstrap --variant=minbase --components=main "$suite" "$rootfs" "$mirror"
  install -m 0644 "$recipes/base/dpkg-nodoc" "$rootfs/etc/dpkg/dpkg.cfg.d/nodoc"
  drop_excluded_paths "$rootfs"
  # This machine's sources (updates and security too) instead of debootstrap's one-line list.
  rm -f "$rootfs/etc/apt/sources.list"
  install -m 0644 "$debian_sources" "$rootfs/etc/apt/sources.list.d/debian.sources"
  # The runtime mounts its own /dev.
  find "$rootfs/dev" -mindepth 1 -delete
  tidy_rootfs "$rootfs"
  repack "$layout" "$ref" "$work/bundle" "debootstrap --variant=minbase $suite"
}

# Deletes from ROOTFS what the path-exclude lines of dpkg-nodoc keep out of later packages, from
# the packages debootstrap unpacked before that file was in place. find -path matches as dpkg's
# filters do: * matches / too.
drop_excluded_paths() {
  local rootfs=$1 kind pattern
  local -a excludes=() keeps=()
  while read -r kind pattern; do
    case $kind in
      path-exclude) excludes+=(-o -path "$rootfs$pattern") ;;
      path-include) keeps+=(! -path "$rootfs$pattern") ;;
    esac
  done <"$recipes/base/dpkg-nodoc"
  find "$rootfs" \( -false "${excludes[@]}" \) "${keeps[@]}" ! -type d -delete
}
