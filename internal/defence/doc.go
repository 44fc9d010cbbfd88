// Package defence holds the SSH server's connection defences that need none
// of its sessions: connection limits, the PROXY protocol listener, silence
// tracking for keepalives, and the reader's input flood filter.
package defence
