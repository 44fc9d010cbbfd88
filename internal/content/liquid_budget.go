package content

import (
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"

	"github.com/osteele/liquid/expressions"
	"github.com/osteele/liquid/render"
)

// Liquid is a small language that can loop and grow strings: a post of a
// few lines could ask for a billion turns or a string of a terabyte, and
// osteele/liquid sets no limit of its own. A post's Liquid runs under
// these; over one, the post shows as written, with a Problem.
const (
	// liquidMaxOutput bounds what one post's Liquid writes, output and
	// captures together: four times the largest post the loader reads.
	liquidMaxOutput = 4 * DefaultMaxFileSize
	// liquidMaxValue bounds one filter's result (a string's bytes, a
	// list's items).
	liquidMaxValue = DefaultMaxFileSize
	// liquidMaxTurns bounds the turns of all of a post's loops.
	liquidMaxTurns = 100_000
	// liquidMaxDepth bounds includes within includes.
	liquidMaxDepth = 10
	// liquidTimeout bounds one post's Liquid, as the markdown parse's own.
	liquidTimeout = 2 * time.Second
)

// errLiquidBudget says a post's Liquid went over one of its limits.
var errLiquidBudget = errors.New("over the Liquid budget")

// liquidBudget is what is left of one post's Liquid budget. The render
// that owns it is single-threaded.
type liquidBudget struct {
	ctx      context.Context
	deadline time.Time
	output   int // bytes left to write
	turns    int // loop turns left
}

func newLiquidBudget(ctx context.Context, now time.Time) *liquidBudget {
	return &liquidBudget{ctx: ctx, deadline: now.Add(liquidTimeout), output: liquidMaxOutput, turns: liquidMaxTurns}
}

// renew is the budget for one more try at the same post: output and
// turns anew, the time as it was.
func (b *liquidBudget) renew() *liquidBudget {
	return &liquidBudget{ctx: b.ctx, deadline: b.deadline, output: liquidMaxOutput, turns: liquidMaxTurns}
}

// spend takes n bytes of output, and checks the time.
func (b *liquidBudget) spend(n int) error {
	b.output -= n
	if b.output < 0 {
		return fmt.Errorf("%w: writes more than %s", errLiquidBudget, byteSize(liquidMaxOutput))
	}
	return b.check()
}

// turn takes one loop turn, and checks the time.
func (b *liquidBudget) turn() error {
	b.turns--
	if b.turns < 0 {
		return fmt.Errorf("%w: loops more than %d times", errLiquidBudget, liquidMaxTurns)
	}
	return b.check()
}

func (b *liquidBudget) check() error {
	if err := b.ctx.Err(); err != nil {
		return err
	}
	if time.Now().After(b.deadline) {
		return fmt.Errorf("%w: took longer than %s", errLiquidBudget, liquidTimeout)
	}
	return nil
}

// budgetWriter is a writer that spends the budget on every write.
type budgetWriter struct {
	w io.Writer
	b *liquidBudget
}

func (w budgetWriter) Write(p []byte) (int, error) {
	if err := w.b.spend(len(p)); err != nil {
		return 0, err
	}
	return w.w.Write(p)
}

// tick is the tag the prepass puts first in every loop's body: one turn.
func tick(_ io.Writer, ctx render.Context) error {
	return runOf(ctx).budget.turn()
}

// captureBlock is capture, writing through the budget (the engine's own
// capture fills a buffer nothing bounds): {% capture name %}…{% endcapture %}.
func captureBlock(_ io.Writer, ctx render.Context) error {
	name := strings.TrimSpace(ctx.TagArgs())
	if name == "" || strings.ContainsAny(name, " \t\n") {
		return fmt.Errorf("capture takes one variable name, not %q", name)
	}
	var buf strings.Builder
	if err := ctx.RenderChildren(budgetWriter{&buf, runOf(ctx).budget}); err != nil {
		return err
	}
	ctx.Set(name, buf.String())
	return nil
}

// guardedFilters adds filters to the engine each under the value limit:
// a filter whose result is over liquidMaxValue fails instead of passing it
// on (ten "escape"s in a row each multiply a string by up to five).
// It records each name in names.
type guardedFilters struct {
	cfg   *render.Config
	names map[string]bool
}

func (g guardedFilters) AddFilter(name string, fn any) {
	g.cfg.AddFilter(name, guardFilter(name, fn))
	g.names[name] = true
}

// guardFilter wraps fn, a filter function of any signature, in a function
// of the same signature that checks the size of its result.
func guardFilter(name string, fn any) any {
	v := reflect.ValueOf(fn)
	t := v.Type()
	return reflect.MakeFunc(t, func(in []reflect.Value) []reflect.Value {
		var out []reflect.Value
		if t.IsVariadic() {
			out = v.CallSlice(in)
		} else {
			out = v.Call(in)
		}
		if n := valueSize(out[0]); n > liquidMaxValue {
			err := fmt.Errorf("%w: a result of %d bytes or items", errLiquidBudget, n)
			if t.NumOut() == 2 {
				return []reflect.Value{reflect.Zero(t.Out(0)), reflect.ValueOf(&err).Elem()}
			}
			panic(expressions.FilterError{FilterName: name, Err: err}) // the engine makes it the render's error
		}
		return out
	}).Interface()
}

// valueSize is a filter result's size: a string's bytes, a list's or a
// map's items; 0 for anything else.
func valueSize(v reflect.Value) int {
	for v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.String, reflect.Slice, reflect.Array, reflect.Map:
		return v.Len()
	}
	return 0
}

// replaceFilters are replace and replace_first with the size of their
// result checked before it is made: replacing each of a million "a"s with
// a megabyte asks for a terabyte.
func replaceFilter(s, old, repl string) (string, error) {
	if n := strings.Count(s, old); len(s)+n*(len(repl)-len(old)) > liquidMaxValue {
		return "", fmt.Errorf("%w: replace would make more than %s", errLiquidBudget, byteSize(liquidMaxValue))
	}
	return strings.ReplaceAll(s, old, repl), nil
}

// joinFilter is join with the separators' size checked first.
func joinFilter(items []any, sep func(string) string) (string, error) {
	s := sep(" ")
	if len(items) > 1 && (len(items)-1)*len(s) > liquidMaxValue {
		return "", fmt.Errorf("%w: join would make more than %s", errLiquidBudget, byteSize(liquidMaxValue))
	}
	parts := make([]string, 0, len(items))
	size := 0
	for _, it := range items {
		if it == nil {
			continue
		}
		p := fmt.Sprint(it)
		if size += len(p) + len(s); size > liquidMaxValue {
			return "", fmt.Errorf("%w: join would make more than %s", errLiquidBudget, byteSize(liquidMaxValue))
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, s), nil
}
