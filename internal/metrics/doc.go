// Package metrics keeps the server's counters (sessions, first frames,
// refusals, renders, posts, reloads, HTTP requests, reads per post) and
// serves them in the Prometheus text format on a listener of their own.
//
// One [Metrics] is made in main and passed to the parts that report to it;
// it owns its own registry, never Prometheus' global one. Every label takes
// its value from a fixed set or from the blog itself (a route pattern, a
// slug that exists), never from what a client sent. The same counters feed
// `ssh HOST stats` through [Metrics.Report].
package metrics
