# Multi-stage build: compile in the Rust image, run in a slim Debian image.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY migrations ./migrations
COPY data ./data
COPY benches ./benches
RUN cargo build --release --locked --bin newslit

FROM debian:bookworm-slim
RUN useradd --system --home /app newslit
WORKDIR /app
COPY --from=build /src/target/release/newslit /usr/local/bin/newslit
COPY seeds ./seeds
ENV NEWSLIT_LISTEN=0.0.0.0:8080 \
    NEWSLIT_LOG_FORMAT=json \
    NEWSLIT_SEED_DIR=/app/seeds
EXPOSE 8080
USER newslit
STOPSIGNAL SIGTERM
CMD ["newslit", "serve"]
