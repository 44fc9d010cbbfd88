package server

import (
	"net"
	"time"

	"sshblog/internal/defence"
)

// healthBanner answers a balancer's health check (a PROXY v2 LOCAL
// connection): the SSH version line HAProxy's `tcp-check expect` looks for.
const healthBanner = "SSH-2.0-sshblog\r\n"

// answerHealthCheck writes the SSH banner to a balancer's health check while
// the server takes new connections, and nothing once it is leaving (the
// check then fails and the balancer sends new readers elsewhere). The
// caller closes c. Health checks are not counted by the limits: they would
// spend the balancer's own address's connection rate.
func (s *Server) answerHealthCheck(c net.Conn) {
	if s.leaving.Load() || s.closing.Load() {
		return
	}
	_ = c.SetWriteDeadline(time.Now().Add(defence.ProxyHeaderTimeout))
	_, _ = c.Write([]byte(healthBanner))
}

// admitProxied reads c's PROXY header (see defence.ReadProxyHeader) and
// reports whether admitConn should go on with it; health checks are
// answered here.
func (s *Server) admitProxied(c net.Conn) bool {
	kind, err := defence.ReadProxyHeader(c)
	if err != nil {
		s.metrics.Refused("proxy-header")
		s.refusals.Warn("connection closed", "reason", "proxy-header", "peer", defence.PeerAddr(c), "err", err)
		return false
	}
	if kind == defence.PeerHealth {
		s.answerHealthCheck(c)
		return false
	}
	return true
}
