package kubernetes

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/yaml"

	"sshblog/internal/config"
)

// manifests are every document of every *.yaml here, strict-decoded:
// an unknown or misspelt field fails.
type manifests struct {
	deployments []*appsv1.Deployment
	services    []*corev1.Service
	pdbs        []*policyv1.PodDisruptionBudget
	policies    []*networkingv1.NetworkPolicy
}

func load(t *testing.T) manifests {
	t.Helper()
	files, err := filepath.Glob("*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests: %v", err)
	}
	var m manifests
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, doc := range bytes.Split(b, []byte("\n---")) {
			if len(bytes.TrimSpace(doc)) == 0 {
				continue
			}
			var head struct{ APIVersion, Kind string }
			if err := yaml.Unmarshal(doc, &head); err != nil {
				t.Fatalf("%s #%d: %v", f, i, err)
			}
			var obj any
			switch head.APIVersion + " " + head.Kind {
			case "apps/v1 Deployment":
				d := &appsv1.Deployment{}
				m.deployments, obj = append(m.deployments, d), d
			case "v1 Service":
				s := &corev1.Service{}
				m.services, obj = append(m.services, s), s
			case "policy/v1 PodDisruptionBudget":
				p := &policyv1.PodDisruptionBudget{}
				m.pdbs, obj = append(m.pdbs, p), p
			case "networking.k8s.io/v1 NetworkPolicy":
				p := &networkingv1.NetworkPolicy{}
				m.policies, obj = append(m.policies, p), p
			default:
				t.Fatalf("%s #%d: unexpected %s %s", f, i, head.APIVersion, head.Kind)
			}
			if err := yaml.UnmarshalStrict(doc, obj); err != nil {
				t.Fatalf("%s #%d (%s): %v", f, i, head.Kind, err)
			}
		}
	}
	if len(m.deployments) != 1 || len(m.services) != 1 || len(m.pdbs) != 1 || len(m.policies) != 1 {
		t.Fatalf("want one Deployment, Service, PodDisruptionBudget, NetworkPolicy; have %d, %d, %d, %d",
			len(m.deployments), len(m.services), len(m.pdbs), len(m.policies))
	}
	return m
}

// sshblogArgs parses the sshblog container's arguments with sshblog's own
// flags: a flag that does not exist fails.
func sshblogArgs(t *testing.T, c corev1.Container) config.Config {
	t.Helper()
	cfg := config.Default()
	fs := config.FlagSet(&cfg)
	fs.SetOutput(io.Discard)
	if err := fs.Parse(c.Args); err != nil {
		t.Fatalf("sshblog args %q: %v", c.Args, err)
	}
	return cfg
}

func container(t *testing.T, spec corev1.PodSpec, name string) corev1.Container {
	t.Helper()
	for _, c := range spec.Containers {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no container %q", name)
	return corev1.Container{}
}

// TestDeployment: two replicas or more, non-root with a read-only root
// file system and no service account token, resources on every container,
// readiness on /readyz and liveness on /healthz of the --http port, and a
// grace period that covers the preStop, the drain delay and the shutdown
// timeout.
func TestDeployment(t *testing.T) {
	d := load(t).deployments[0]
	if d.Spec.Replicas == nil || *d.Spec.Replicas < 2 {
		t.Error("fewer than 2 replicas")
	}
	pod := d.Spec.Template.Spec
	if pod.AutomountServiceAccountToken == nil || *pod.AutomountServiceAccountToken {
		t.Error("the service account token is mounted")
	}
	if sc := pod.SecurityContext; sc == nil || sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot {
		t.Error("pod may run as root")
	}
	for _, c := range append(append([]corev1.Container{}, pod.InitContainers...), pod.Containers...) {
		sc := c.SecurityContext
		if sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem ||
			sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
			t.Errorf("container %s: root file system writable or privilege escalation allowed", c.Name)
		}
		if c.Resources.Requests.Memory().IsZero() || c.Resources.Limits.Memory().IsZero() {
			t.Errorf("container %s: no memory request or limit", c.Name)
		}
	}
	c := container(t, pod, "sshblog")
	cfg := sshblogArgs(t, c)
	if cfg.HostKey == "" {
		t.Error("sshblog does not read the shared host key (--host-key)")
	}
	httpPort := strings.TrimPrefix(cfg.HTTP, ":")
	probe := func(name string, p *corev1.Probe, path string) {
		if p == nil || p.HTTPGet == nil || p.HTTPGet.Path != path {
			t.Errorf("%s probe is not GET %s", name, path)
			return
		}
		if port := namedPort(c, p.HTTPGet.Port.String()); port != httpPort {
			t.Errorf("%s probe on port %s, --http on %s", name, port, httpPort)
		}
	}
	probe("readiness", c.ReadinessProbe, "/readyz")
	probe("liveness", c.LivenessProbe, "/healthz")
	if c.Lifecycle == nil || c.Lifecycle.PreStop == nil || c.Lifecycle.PreStop.Sleep == nil {
		t.Fatal("no preStop sleep: the pod would get SIGTERM before leaving the endpoints")
	}
	preStop := time.Duration(c.Lifecycle.PreStop.Sleep.Seconds) * time.Second
	need := preStop + cfg.DrainDelay + cfg.ShutdownTimeout
	if pod.TerminationGracePeriodSeconds == nil {
		t.Fatal("no terminationGracePeriodSeconds")
	}
	if grace := time.Duration(*pod.TerminationGracePeriodSeconds) * time.Second; grace <= need {
		t.Errorf("terminationGracePeriodSeconds %v does not cover preStop %v + drain %v + shutdown %v",
			grace, preStop, cfg.DrainDelay, cfg.ShutdownTimeout)
	}
	// The readiness probe must see the 503 well inside the drain delay.
	r := c.ReadinessProbe
	if seen := time.Duration(r.PeriodSeconds*max(1, r.FailureThreshold)) * time.Second; seen >= cfg.DrainDelay {
		t.Errorf("readiness notices a drain after %v, not before --drain-delay %v", seen, cfg.DrainDelay)
	}
	for _, name := range []string{"git-sync"} {
		container(t, pod, name)
	}
	checkStateURL(t, c)
}

// checkStateURL: the shared store's URL, which holds a password, comes
// from a Secret, never from the manifest's text or the arguments.
func checkStateURL(t *testing.T, c corev1.Container) {
	t.Helper()
	if cfg := sshblogArgs(t, c); cfg.StateURL != "" {
		t.Error("--state-url in the arguments: its password would show in ps")
	}
	for _, e := range c.Env {
		if e.Name != config.EnvName("state-url") {
			continue
		}
		if e.Value != "" || e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil {
			t.Errorf("%s is not taken from a Secret", e.Name)
		}
		return
	}
	t.Errorf("no %s: replicas would not share readers' memory", config.EnvName("state-url"))
}

// namedPort resolves a probe's port (a name or a number) to the number.
func namedPort(c corev1.Container, port string) string {
	for _, p := range c.Ports {
		if p.Name == port {
			return strconv.Itoa(int(p.ContainerPort))
		}
	}
	return port
}

// TestServiceAndFriends: a LoadBalancer that keeps client addresses, a
// disruption budget and a network policy that select the Deployment's pods.
func TestServiceAndFriends(t *testing.T) {
	m := load(t)
	pods := m.deployments[0].Spec.Template.Labels
	selects := func(what string, sel map[string]string) {
		if len(sel) == 0 {
			t.Errorf("%s selects nothing", what)
		}
		for k, v := range sel {
			if pods[k] != v {
				t.Errorf("%s selects %s=%s, which the pods lack", what, k, v)
			}
		}
	}
	s := m.services[0]
	if s.Spec.Type != corev1.ServiceTypeLoadBalancer || s.Spec.ExternalTrafficPolicy != corev1.ServiceExternalTrafficPolicyLocal {
		t.Errorf("service is %s with externalTrafficPolicy %s", s.Spec.Type, s.Spec.ExternalTrafficPolicy)
	}
	selects("Service", s.Spec.Selector)
	ssh := container(t, m.deployments[0].Spec.Template.Spec, "sshblog")
	listen := strings.TrimPrefix(sshblogArgs(t, ssh).Listen, ":")
	for _, p := range s.Spec.Ports {
		if got := namedPort(ssh, p.TargetPort.String()); got != listen {
			t.Errorf("service targets port %s, sshblog listens on %s", got, listen)
		}
	}
	pdb := m.pdbs[0]
	if pdb.Spec.MinAvailable == nil || pdb.Spec.MinAvailable.IntValue() < 1 {
		t.Error("the disruption budget keeps no replica")
	}
	selects("PodDisruptionBudget", pdb.Spec.Selector.MatchLabels)
	selects("NetworkPolicy", m.policies[0].Spec.PodSelector.MatchLabels)
	postgres := false
	for _, e := range m.policies[0].Spec.Egress {
		for _, p := range e.Ports {
			postgres = postgres || p.Port != nil && p.Port.IntValue() == 5432
		}
	}
	if !postgres {
		t.Error("the NetworkPolicy lets no connection out to PostgreSQL (5432)")
	}
}
