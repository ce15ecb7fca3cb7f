# cwbot container image.
#
#   docker build --build-arg VERSION=$(git describe --tags --always) -t cwbot .
#   docker run -d --name cwbot --env-file cwbot.env -p 8080:8080 -v cwbot-data:/data cwbot
#
# The SQLite driver (mattn/go-sqlite3) needs cgo, so the binary is built with gcc in the
# Debian-based Go image and runs on the same Debian release (same glibc).

# The image sets GOTOOLCHAIN=local: its Go must be at least go.mod's go line, so build with
# --pull to get the newest 1.26 patch release.
FROM golang:1.26-bookworm AS build
WORKDIR /src
# Modules first: this layer is reused while go.mod and go.sum do not change.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=1 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/cwbot .

FROM debian:bookworm-slim
# ca-certificates: HTTPS to Chatwoot, the telco API and OpenAI. tzdata: inbox time zones
# and BOT_TIMEZONE. curl: the health check.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tzdata curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 cwbot \
 && useradd --system --uid 10001 --gid 10001 --home-dir /data --no-create-home --shell /usr/sbin/nologin cwbot \
 && mkdir -p /data \
 && chown 10001:10001 /data \
 && chmod 0750 /data
COPY --from=build /out/cwbot /usr/local/bin/cwbot
ENV BOT_DB=/data/bot.db BOT_ADDR=:8080 BOT_LOG_FORMAT=json
# A soft limit on the Go heap: it costs nothing at normal load and keeps the process under
# 64 MB when a burst builds a backlog (README, Performance).
ENV GOMEMLIMIT=36MiB
# The SQLite database (conversations, outbox, router jobs) lives here: keep it on a volume.
VOLUME /data
EXPOSE 8080
USER 10001:10001
# /readyz answers 200 once the database answers. The check assumes BOT_ADDR=:8080.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD curl -fsS -o /dev/null http://127.0.0.1:8080/readyz || exit 1
ENTRYPOINT ["/usr/local/bin/cwbot"]
CMD ["serve"]
