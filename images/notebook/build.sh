# The notebook image's recipe (sourced by scripts/build-images, which calls build_notebook LAYOUT
# REF WORK on a copy of the kernel stage): a long-lived Jupyter server, as JupyterHub's KubeSpawner
# and Kubeflow run it, whose kernels are launched by the kernel-secrets provisioner of the
# repository's provisioner/ folder, and its probe notebook-client.
#
# The server (Debian's python3-jupyter-server) is PID 1, run as jovyan (uid 1000) in /home/jovyan,
# and listens on 127.0.0.1:8888 only. It authenticates with the token of the environment variable
# JUPYTER_TOKEN, which the pod must set (kubectl exec'd processes get it too: they run with the
# container's environment). The python3 kernelspec names the provisioner, which gives each kernel,
# at every launch and restart, the secrets the webhook mounts at /var/run/kernel-secrets/, and
# redacts them from the kernel's output. The provisioner is built here into a wheel with this
# machine's Python tools and installed with the image's own Python; pip is not left in the image.
# Its command kernel-secrets-kernels (the server's kernels and the secrets' revision each has) is
# on PATH for kubectl exec. The kernel image's kernel-env does not apply here: it asks the kernel
# of the kernel image's entrypoint, which this image does not run.

# The folder the provisioner is built from, and what builds it: this machine's Debian Python (not
# whichever python3 comes first on PATH) with its setuptools and wheel, and Debian's pip wheel,
# which pip runs from as it is, so that no pip has to be installed, here or in the image.
provisioner_dir=$repo_root/provisioner
debian_python=/usr/bin/python3
pip_wheel_pattern='/usr/share/python-wheels/pip-*.whl'

# The files of provisioner/ the image is built from, one per line, relative to the repository: all
# but what Python's tools write into a source tree (bytecode, build output, test caches), which
# would otherwise rebuild the image after every test run. Part of the image's key.
provisioner_files() {
  (cd "$repo_root" && find provisioner \
    \( -name __pycache__ -o -name '*.egg-info' -o -name build -o -name dist -o -name .pytest_cache \) -prune \
    -o -type f -print | LC_ALL=C sort)
}

# The path of Debian's pip wheel (python3-pip-whl), or nothing.
pip_wheel() { compgen -G "$pip_wheel_pattern" | head -n 1; }

# Whether this machine has what builds and installs the provisioner.
provisioner_tools_present() { [[ -n "$(pip_wheel)" ]] && "$debian_python" -c 'import setuptools, wheel' 2>/dev/null; }

build_notebook() {
  local layout=$1 ref=$2 work=$3 rootfs=$3/bundle/rootfs
  unpack "$layout" "$ref" "$work/bundle"
  apt_install "$rootfs" "$recipes/notebook/packages"
  build_provisioner_wheel "$work"
  install_wheel "$rootfs" "$work"/wheels/*.whl
  in_rootfs "$rootfs" kernel-secrets-kernelspec enable python3
  install -m 0755 "$recipes/notebook/notebook-client" "$rootfs/usr/local/bin/notebook-client"
  tidy_rootfs "$rootfs"
  repack "$layout" "$ref" "$work/bundle" \
    "apt-get install $(package_names "$recipes/notebook/packages"); kernel-secrets-provisioner; kernelspec python3 enabled; notebook-client"
  # Exec'd without a shell, as the kernel image's entrypoint (dash drops variables such as
  # API-TOKEN), so that the server is PID 1 and gets the pod's SIGTERM. The settings are
  # arguments, not a config file: the command line wins over any config in jovyan's home.
  # --port-retries=0: the server fails rather than listen on another port than notebook-client's.
  umoci config --image "$layout:$ref" --no-history \
    --config.entrypoint /usr/bin/python3 --config.entrypoint -m --config.entrypoint jupyter_server \
    --config.entrypoint --ip=127.0.0.1 --config.entrypoint --port=8888 --config.entrypoint --port-retries=0 \
    --config.entrypoint --no-browser --config.entrypoint --ServerApp.root_dir=/home/jovyan
}

# Builds the provisioner's wheel into WORK/wheels from a copy of its files in WORK (setuptools
# writes its build output beside the sources), offline and with this machine's setuptools. The
# environment is clean and pip's config files are off, as in the rootfs: no PIP_* setting of this
# machine (a find-links folder, say) takes part.
build_provisioner_wheel() {
  local work=$1
  provisioner_files | (cd "$repo_root" && xargs -d '\n' cp --parents -t "$work")
  env -i PATH="$container_path" PIP_CONFIG_FILE=/dev/null \
    "$debian_python" "$(pip_wheel)/pip" wheel --no-deps --no-index --no-build-isolation --no-cache-dir \
    --wheel-dir "$work/wheels" "$work/provisioner"
}

# Installs WHEEL into ROOTFS's /usr/local with the image's Python, running pip from its wheel
# copied in for the while. Debian marks its Python externally managed so that pip stays out of
# /usr; /usr/local, where pip installs, is the local administrator's, never dpkg's.
install_wheel() {
  local rootfs=$1 wheel=$2 pip
  pip=$(pip_wheel)
  mkdir "$rootfs/tmp/wheels"
  cp "$pip" "$wheel" "$rootfs/tmp/wheels/"
  in_rootfs "$rootfs" python3 "/tmp/wheels/${pip##*/}/pip" install --no-deps --no-index --no-cache-dir \
    --break-system-packages --root-user-action=ignore "/tmp/wheels/${wheel##*/}"
  rm -rf "$rootfs/tmp/wheels"
}
