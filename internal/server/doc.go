// Package server is sshblog's SSH front door: it owns the host key, the
// middleware chain (recover, logging, limits), routes each session to the
// reader or to the commands, fans reloads out to open readers, and shuts
// down gracefully.
package server
