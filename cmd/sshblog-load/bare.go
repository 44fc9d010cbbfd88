package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"
)

// bareScreen is the one frame the bare server draws: a cleared screen with
// the seed post's title, as the blog's list shows it, so the same -want
// marker finds both.
const bareScreen = "\x1b[2J\x1b[H" +
	"sshblog · bare x/crypto/ssh baseline\r\n\r\n" +
	"  Why did I start writing on my page\r\n" +
	"  4 Oct 2024 · nlp · llm · llm-router\r\n\r\n" +
	"  j/k move · enter read · / search · q quit\r\n"

// bareReady starts the line the bare command prints once it listens; the
// compare mode reads the address after it.
const bareReady = "bare: listening on "

// bareServer is the limit to measure the blog against: x/crypto/ssh with
// nothing on top. It accepts anyone, grants a PTY and a shell, writes
// bareScreen once, and holds the session until the client leaves.
type bareServer struct {
	config *ssh.ServerConfig
	logger *slog.Logger
}

// newBareServer makes a server with a host key generated in memory.
func newBareServer(logger *slog.Logger) (*bareServer, error) {
	signer, err := newSigner()
	if err != nil {
		return nil, fmt.Errorf("host key: %w", err)
	}
	cfg := &ssh.ServerConfig{NoClientAuth: true}
	cfg.AddHostKey(signer)
	return &bareServer{config: cfg, logger: logger}, nil
}

// serve accepts connections on ln until ctx ends, then closes every
// connection and returns once their goroutines are gone.
func (b *bareServer) serve(ctx context.Context, ln net.Listener) error {
	var (
		mu    sync.Mutex
		conns = map[net.Conn]struct{}{}
		wg    sync.WaitGroup
	)
	stop := context.AfterFunc(ctx, func() {
		_ = ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for c := range conns {
			_ = c.Close()
		}
	})
	defer stop()
	defer wg.Wait()
	for {
		c, err := ln.Accept()
		if errors.Is(err, net.ErrClosed) || ctx.Err() != nil {
			return nil
		}
		if err != nil {
			// Out of file descriptors under load: wait, as net/http does.
			b.logger.Warn("accept", "err", err)
			sleep(ctx, 10*time.Millisecond)
			continue
		}
		mu.Lock()
		conns[c] = struct{}{}
		if ctx.Err() != nil {
			_ = c.Close()
		}
		mu.Unlock()
		wg.Go(func() {
			b.handle(c)
			mu.Lock()
			delete(conns, c)
			mu.Unlock()
		})
	}
}

// handle runs one connection: handshake, then its session channels.
func (b *bareServer) handle(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	sc, chans, reqs, err := ssh.NewServerConn(c, b.config)
	if err != nil {
		return
	}
	defer sc.Close()
	_ = c.SetDeadline(time.Time{})
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Go(func() { ssh.DiscardRequests(reqs) })
	for nc := range chans {
		if nc.ChannelType() != "session" {
			_ = nc.Reject(ssh.UnknownChannelType, "only sessions")
			continue
		}
		ch, creqs, err := nc.Accept()
		if err != nil {
			continue
		}
		wg.Go(func() { serveBareSession(ch, creqs) })
	}
}

// serveBareSession grants pty-req, window-change, env and one shell, draws
// the screen when the shell starts, and reads (echoing nothing) until the
// client closes.
func serveBareSession(ch ssh.Channel, reqs <-chan *ssh.Request) {
	var wg sync.WaitGroup
	wg.Go(func() {
		shell := false
		for req := range reqs {
			ok := req.Type == "pty-req" || req.Type == "window-change" || req.Type == "env" ||
				(req.Type == "shell" && !shell)
			if req.WantReply {
				_ = req.Reply(ok, nil)
			}
			if req.Type == "shell" && !shell {
				shell = true
				_, _ = io.WriteString(ch, bareScreen)
			}
		}
	})
	_, _ = io.Copy(io.Discard, ch)
	_ = ch.Close()
	wg.Wait()
}

// newSigner makes a throwaway ed25519 key, kept in memory only.
func newSigner() (ssh.Signer, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate ed25519 key: %w", err)
	}
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		return nil, fmt.Errorf("make signer: %w", err)
	}
	return signer, nil
}
