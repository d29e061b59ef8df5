# The kernel image's recipe (sourced by scripts/build-images, which calls build_kernel LAYOUT REF
# WORK on a copy of the base stage): an IPython kernel run as the notebook user jovyan, its probe
# kernel-env, and its configuration.

# Where the kernel writes its connection file; kernel-env reads the same path.
kernel_connection_file=/tmp/kernel/connection.json

build_kernel() {
  local layout=$1 ref=$2 work=$3 rootfs=$3/bundle/rootfs
  unpack "$layout" "$ref" "$work/bundle"
  apt_install "$rootfs" "$recipes/kernel/packages"
  # A notebook image's user, with a home for IPython's profile and history.
  in_rootfs "$rootfs" /bin/sh -ec \
    'groupadd --gid 1000 jovyan; useradd --uid 1000 --gid 1000 --create-home --shell /bin/bash jovyan'
  install -m 0755 "$recipes/kernel/kernel-env" "$rootfs/usr/local/bin/kernel-env"
  install -D -m 0644 "$recipes/kernel/ipython_kernel_config.py" "$rootfs/etc/ipython/ipython_kernel_config.py"
  tidy_rootfs "$rootfs"
  repack "$layout" "$ref" "$work/bundle" \
    "apt-get install $(package_names "$recipes/kernel/packages"); user jovyan; kernel-env; ipython_kernel_config.py"
  # The kernel is PID 1 itself, exec'd without a shell: dash and busybox sh drop environment
  # variables whose names are not shell identifiers, such as API-TOKEN. It makes the connection
  # file's folder, and writes the file once it has bound its ports.
  umoci config --image "$layout:$ref" --no-history \
    --config.user 1000:1000 --config.workingdir /home/jovyan \
    --config.env "PATH=$container_path" --config.env HOME=/home/jovyan \
    --config.entrypoint /usr/bin/python3 --config.entrypoint -m --config.entrypoint ipykernel_launcher \
    --config.entrypoint -f --config.entrypoint "$kernel_connection_file" --config.entrypoint --ip=127.0.0.1
}
