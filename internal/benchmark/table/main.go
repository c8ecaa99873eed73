// Command table runs the SDK's benchmarks and prints them as a Markdown table with the ratios
// the project's targets are stated in, each measured against a baseline in the same run:
//
//   - carik.Parse at most 4x the floor (encoding/json into the generated structs, no
//     validation) on each fixture, and faster than go-jsonschema's validating UnmarshalJSON;
//   - carik.NewReceiver (Standard Webhooks verification on) at least 80% of the deliveries/s
//     of a bare net/http handler that only decodes the JSON.
//
// Each benchmark runs -rounds times, interleaved with its baseline, and the median counts. It
// exits 1 when a target is missed.
//
//	go run ./internal/benchmark/table -rounds 5
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/CarikBot/carik-go/internal/benchmark"
)

func main() {
	rounds := flag.Int("rounds", 5, "runs of each benchmark; the median counts")
	benchtime := flag.Duration("benchtime", time.Second, "time of each run")
	testing.Init()
	flag.Parse()
	if err := flag.Set("test.benchtime", benchtime.String()); err != nil {
		panic(err)
	}
	fmt.Printf("Machine: %s, %d CPUs (GOMAXPROCS %d), %s %s/%s; median of %d runs of %s each.\n\n",
		cpuModel(), runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), runtime.GOOS, runtime.GOARCH, *rounds, *benchtime)
	ok := parseTable(*rounds)
	fmt.Println()
	ok = receiverTable(*rounds) && ok
	if !ok {
		fmt.Println("\nA target was missed.")
		os.Exit(1)
	}
}

// median runs each benchmark rounds times, interleaved, and returns their median ns/op.
func median(rounds int, benches []func(*testing.B)) []float64 {
	samples := make([][]float64, len(benches))
	for range rounds {
		for i, bench := range benches {
			r := testing.Benchmark(bench)
			samples[i] = append(samples[i], float64(r.T.Nanoseconds())/float64(r.N))
		}
	}
	out := make([]float64, len(benches))
	for i, s := range samples {
		sort.Float64s(s)
		out[i] = s[len(s)/2]
	}
	return out
}

func parseTable(rounds int) bool {
	decoders := benchmark.Decoders()
	fmt.Println("| fixture | floor: encoding/json, no validation | go-jsonschema validating UnmarshalJSON | carik.Parse | carik / floor (target <= 4x) | carik / go-jsonschema (target < 1) |")
	fmt.Println("|---|---|---|---|---|---|")
	ok := true
	for _, f := range benchmark.Fixtures() {
		var benches []func(*testing.B)
		for _, d := range decoders {
			benches = append(benches, func(b *testing.B) { benchmark.Parse(b, d, f) })
		}
		ns := median(rounds, benches)
		floor, gjs, carik := ns[0], ns[1], ns[2]
		toFloor, toGJS := carik/floor, carik/gjs
		ok = ok && toFloor <= 4 && toGJS < 1
		fmt.Printf("| %s (%d B) | %s | %s | %s | %.2fx %s | %.2f %s |\n", f.Name, len(f.Body),
			dur(floor), dur(gjs), dur(carik), toFloor, mark(toFloor <= 4), toGJS, mark(toGJS < 1))
	}
	return ok
}

func receiverTable(rounds int) bool {
	body := benchmark.Fixtures()[0].Body
	servers := benchmark.Servers()
	var benches []func(*testing.B)
	for _, s := range servers {
		benches = append(benches, func(b *testing.B) { benchmark.Deliveries(b, s, body) })
	}
	ns := median(rounds, benches)
	bare, carik := 1e9/ns[0], 1e9/ns[1]
	ratio := carik / bare
	fmt.Println("| receiver, 165 B message over loopback keep-alive, 4x GOMAXPROCS clients | deliveries/s |")
	fmt.Println("|---|---|")
	fmt.Printf("| bare net/http handler that only decodes the JSON | %.0f |\n", bare)
	fmt.Printf("| carik.NewReceiver (Standard Webhooks verification, validation, Router) | %.0f |\n", carik)
	fmt.Printf("| carik / bare (target >= 0.80) | %.2f %s |\n", ratio, mark(ratio >= 0.8))
	return ratio >= 0.8
}

func dur(ns float64) string {
	if ns >= 1e6 {
		return fmt.Sprintf("%.2f ms", ns/1e6)
	}
	return fmt.Sprintf("%.1f µs", ns/1e3)
}

func mark(ok bool) string {
	if ok {
		return "(met)"
	}
	return "(MISSED)"
}

func cpuModel() string {
	raw, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if name, ok := strings.CutPrefix(line, "model name"); ok {
			return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), ":"))
		}
	}
	return runtime.GOARCH
}
