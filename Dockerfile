# Build a static binary, then ship it alone in a small non-root image.
# deploy/dockerfile_test.go runs the build stage as Docker would (the
# context after .dockerignore, each COPY and RUN in order), so a change
# that breaks `docker build` fails CI. RUN paths are relative to WORKDIR.
FROM golang:1.26 AS build
WORKDIR /src
# go.mod replaces bubbletea and ultraviolet with the patched copies in
# third_party/: they must be here before the modules are downloaded.
COPY go.mod go.sum ./
COPY third_party/ third_party/
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o out/sshblog ./cmd/sshblog \
 && mkdir -p out/keys out/state out/posts && cp -r posts/. out/posts/

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /src/out/sshblog /sshblog
COPY --from=build --chown=nonroot:nonroot /src/out/posts /posts
COPY --from=build --chown=nonroot:nonroot /src/out/keys /keys
COPY --from=build --chown=nonroot:nonroot /src/out/state /state
USER nonroot:nonroot
# SSH on 2222, the web side (pages, feeds, /healthz, /readyz) on 8080. The
# health check asks /readyz on SSHBLOG_HTTP: the image has no shell or
# curl, so the binary asks itself (`sshblog health`).
ENV SSHBLOG_LISTEN=:2222 SSHBLOG_HTTP=:8080 SSHBLOG_POSTS=/posts SSHBLOG_KEYS=/keys SSHBLOG_STATE=/state
VOLUME ["/posts", "/keys", "/state"]
EXPOSE 2222 8080
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 CMD ["/sshblog", "health"]
ENTRYPOINT ["/sshblog"]
