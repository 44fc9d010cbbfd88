// Command sshblog-caos draws the picture the bundled post shows
// (posts/images/caos.png): tangled thoughts, a few hundred coloured
// threads wandering over a dark ground, from a fixed seed so that the
// file is the same on every run. The project makes its own image rather
// than ship a third-party one.
//
//	go run ./cmd/sshblog-caos posts/images/caos.png
package main

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
)

const (
	width, height = 640, 400
	threads       = 90
	steps         = 900
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: sshblog-caos OUT.png")
		os.Exit(2)
	}
	if err := write(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "sshblog-caos:", err)
		os.Exit(1)
	}
}

func write(name string) error {
	img := draw()
	f, err := os.Create(name)
	if err != nil {
		return fmt.Errorf("create picture: %w", err)
	}
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(f, img); err != nil {
		_ = f.Close()
		return fmt.Errorf("encode picture: %w", err)
	}
	return f.Close()
}

// draw paints the ground, a glow in the middle where the threads knot, and
// the threads: each a walk whose heading turns a little at every step,
// pulled back toward the centre so that they tangle there.
func draw() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	cx, cy := float64(width)/2, float64(height)/2
	for y := 0; y < height; y++ {
		for x := 0; x < width; x++ {
			d := math.Hypot(float64(x)-cx, (float64(y)-cy)*1.4) / cx
			g := math.Max(0, 1-d)
			img.SetRGBA(x, y, color.RGBA{uint8(18 + 40*g), uint8(14 + 20*g), uint8(38 + 60*g), 255})
		}
	}
	rng := rand.New(rand.NewPCG(2024, 10))
	palette := []color.RGBA{
		{255, 94, 120, 255}, {255, 196, 80, 255}, {96, 220, 255, 255},
		{170, 120, 255, 255}, {120, 255, 170, 255}, {255, 255, 255, 255},
	}
	for t := 0; t < threads; t++ {
		c := palette[rng.IntN(len(palette))]
		x, y := rng.Float64()*width, rng.Float64()*height
		heading := rng.Float64() * 2 * math.Pi
		for s := 0; s < steps; s++ {
			heading += (rng.Float64() - 0.5) * 0.5
			toward := math.Atan2(cy-y, cx-x)
			heading += 0.04 * math.Sin(toward-heading)
			x += 1.2 * math.Cos(heading)
			y += 1.2 * math.Sin(heading)
			blend(img, int(x), int(y), c, 0.35)
			blend(img, int(x)+1, int(y), c, 0.15)
		}
	}
	return img
}

// blend mixes c into the pixel at (x, y) by a.
func blend(img *image.RGBA, x, y int, c color.RGBA, a float64) {
	if !image.Pt(x, y).In(img.Rect) {
		return
	}
	p := img.RGBAAt(x, y)
	mix := func(p, c uint8) uint8 { return uint8(float64(p)*(1-a) + float64(c)*a) }
	img.SetRGBA(x, y, color.RGBA{mix(p.R, c.R), mix(p.G, c.G), mix(p.B, c.B), 255})
}
