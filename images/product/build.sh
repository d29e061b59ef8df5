# The product image's recipe (sourced by scripts/build-images): build_runtime adds the runtime
# packages to a copy of the base stage, and build_product adds kernel-secrets-operator and
# kernel-secrets-injector ($binaries) to a copy of that runtime stage, so that new binaries cost one
# layer. Both take LAYOUT REF WORK. The Dockerfile's runtime stage makes the same image.
build_runtime() {
  local layout=$1 ref=$2 work=$3 rootfs=$3/bundle/rootfs
  unpack "$layout" "$ref" "$work/bundle"
  apt_install "$rootfs" "$recipes/product/packages"
  tidy_rootfs "$rootfs"
  repack "$layout" "$ref" "$work/bundle" "apt-get install $(package_names "$recipes/product/packages")"
}

build_product() {
  local layout=$1 ref=$2 work=$3 rootfs=$3/bundle/rootfs libraries
  unpack "$layout" "$ref" "$work/bundle"
  install -m 0755 "${binaries[@]}" "$rootfs/usr/local/bin/"
  # Without debug sections, as the Dockerfile's Release build has none: half the image's size.
  strip --strip-debug "$rootfs"/usr/local/bin/kernel-secrets-*
  # packages must hold every library the binaries link.
  # shellcheck disable=SC2016 # expanded in the rootfs
  libraries=$(in_rootfs "$rootfs" /bin/sh -c 'ldd /usr/local/bin/kernel-secrets-*')
  if grep -q 'not found' <<<"$libraries"; then
    die "libraries missing from images/product/packages: $(grep 'not found' <<<"$libraries" | xargs)"
  fi
  repack "$layout" "$ref" "$work/bundle" "kernel-secrets-operator, kernel-secrets-injector"
  # The non-root user the Helm chart asks for.
  umoci config --image "$layout:$ref" --no-history --config.user 65532:65532 --config.env "PATH=$container_path"
}
