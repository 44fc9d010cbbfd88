// Package web is the blog's HTTP side: a page per post, the post list and
// tag pages, the feeds, the posts' images, and health checks for a load
// balancer. It points readers to the terminal: SSH is the way to read, the
// web is how people find the blog and subscribe.
package web
