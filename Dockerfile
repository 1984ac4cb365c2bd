# syntax=docker/dockerfile:1
# ingotd and ingot in a small runtime image. Build: `docker build -t ingot:0.1.0 .`
# (pass --build-arg INGOT_GIT_COMMIT=$(git rev-parse --short=12 HEAD): .git is not copied in).

FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY . .
ARG INGOT_GIT_COMMIT=unknown
ENV INGOT_GIT_COMMIT=${INGOT_GIT_COMMIT} CARGO_INCREMENTAL=0
# Cached registry and target between builds: a source change rebuilds only what changed.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bin ingotd --bin ingot \
 && mkdir -p /out && cp target/release/ingotd target/release/ingot /out/

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/ingot --shell /usr/sbin/nologin ingot \
 && mkdir -p /var/lib/ingot && chown ingot:ingot /var/lib/ingot
COPY --from=build /out/ingotd /out/ingot /usr/local/bin/
USER 10001:10001
# Production configuration comes from the environment (or a mounted --config file); see
# deploy/k8s/ and docs/deploy.md. INGOT_ENVIRONMENT=prod refuses unsafe settings at start.
ENV INGOT_LISTEN=0.0.0.0:8080 INGOT_DATA_DIR=/var/lib/ingot INGOT_LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=3 CMD ["ingot", "health", "--server", "http://127.0.0.1:8080"]
ENTRYPOINT ["ingotd"]
CMD ["serve"]
