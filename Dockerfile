# Build a static binary, then ship it alone in a small non-root image.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /out/sshblog ./cmd/sshblog \
 && mkdir -p /out/keys /out/state /out/posts && cp -r posts/. /out/posts/

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/sshblog /sshblog
COPY --from=build --chown=nonroot:nonroot /out/posts /posts
COPY --from=build --chown=nonroot:nonroot /out/keys /keys
COPY --from=build --chown=nonroot:nonroot /out/state /state
USER nonroot:nonroot
ENV SSHBLOG_LISTEN=:2222 SSHBLOG_POSTS=/posts SSHBLOG_KEYS=/keys SSHBLOG_STATE=/state
VOLUME ["/posts", "/keys", "/state"]
EXPOSE 2222
ENTRYPOINT ["/sshblog"]
