# The image the Helm chart runs: both binaries, kernel-secrets-operator and kernel-secrets-injector,
# on Debian bookworm as they are built and tested. The runtime stage holds only the shared libraries
# they link (found with ldd and dpkg -S) and runs as the non-root user the chart asks for.
#   docker build -t REGISTRY/kernel-secrets:TAG .
FROM debian:bookworm AS build
COPY . /src
RUN /src/scripts/install-deps build \
 && cmake -S /src -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release \
 && cmake --build /build --target kernel-secrets-operator kernel-secrets-injector

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libcpprest2.10 libyaml-cpp0.7 libssl3 libspdlog1.10 libfmt9 libbrotli1 zlib1g ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /build/bin/kernel-secrets-operator /build/bin/kernel-secrets-injector /usr/local/bin/
USER 65532:65532
