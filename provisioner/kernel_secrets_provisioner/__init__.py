"""A Jupyter kernel provisioner that gives kernels the project's kernel-secrets at every (re)start."""

from .provisioner import KernelSecretsProvisioner

__all__ = ["KernelSecretsProvisioner"]
