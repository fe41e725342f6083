# Multi-stage build: compile in the Rust image, run in a slim Debian image.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock build.rs ./
COPY src ./src
COPY migrations ./migrations
COPY data ./data
COPY benches ./benches
# The seed articles are compiled into the binary.
COPY seeds ./seeds
RUN cargo build --release --locked --bin newslit

FROM debian:bookworm-slim
# curl for the health check on /ready (docker-compose.yml).
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN useradd --system --home /app newslit
WORKDIR /app
COPY --from=build /src/target/release/newslit /usr/local/bin/newslit
ENV NEWSLIT_LISTEN=0.0.0.0:8080 \
    NEWSLIT_LOG_FORMAT=json
EXPOSE 8080
USER newslit
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s CMD curl -sf http://127.0.0.1:8080/ready || exit 1
CMD ["newslit", "serve"]
