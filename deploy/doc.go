// Package deploy holds deployment files for running sshblog replicas:
// compose.yaml here (checked by compose_test.go), HAProxy in haproxy/,
// Kubernetes in kubernetes/.
package deploy
