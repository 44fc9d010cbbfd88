// Package haproxy holds the HAProxy configuration for running sshblog
// replicas behind a load balancer, and its test: a real HAProxy in front of
// two sshblog processes (haproxy_test.go).
package haproxy
