# The image the Helm chart runs: both binaries, kernel-secrets-operator and kernel-secrets-injector,
# on Debian bookworm as they are built and tested. The runtime stage holds only the shared libraries
# they link (found with ldd and dpkg -S) and runs as the non-root user the chart asks for.
#   docker build -t REGISTRY/kernel-secrets:TAG .
# scripts/build-images makes the same image without Docker or any registry (from debootstrap's
# minbase, the same package list and the binaries of a local build): the product image of the
# local node.
FROM debian:bookworm AS build
COPY . /src
RUN /src/scripts/install-deps build \
 && cmake -S /src -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release \
 && cmake --build /build --target kernel-secrets-operator kernel-secrets-injector

FROM debian:bookworm-slim
# The runtime packages, one per line with # comments; scripts/build-images reads the same file.
COPY images/product/packages /tmp/packages
RUN apt-get update \
 && apt-get install -y --no-install-recommends $(sed 's/#.*//' /tmp/packages) \
 && rm -rf /var/lib/apt/lists/* /tmp/packages
COPY --from=build /build/bin/kernel-secrets-operator /build/bin/kernel-secrets-injector /usr/local/bin/
USER 65532:65532
