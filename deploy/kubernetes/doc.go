// Package kubernetes holds the Kubernetes manifests for running sshblog
// replicas, and their test: every manifest strict-decoded into the
// k8s.io/api types and checked for the invariants a restart nobody notices
// needs (manifests_test.go).
package kubernetes
