// Package render turns a post's markdown into text for one terminal width and
// style, and keeps the results in a cache shared by every session.
package render
