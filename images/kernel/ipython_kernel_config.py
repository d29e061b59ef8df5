# The kernel image's IPython kernel configuration, /etc/ipython/ipython_kernel_config.py
# (scripts/build-images installs it), read by the kernel process as it starts.
#
# The kernel runs as PID 1 of its container, and the Linux kernel delivers to PID 1 only the signals
# it handles; ipykernel handles no SIGTERM, so a pod's deletion would wait out its whole grace
# period before the SIGKILL. Exit at once on SIGTERM instead, as a kernel does under tini.
import os
import signal

signal.signal(signal.SIGTERM, lambda signum, frame: os._exit(0))
