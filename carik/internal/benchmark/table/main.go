// Command table runs the SDK's benchmarks and prints them as a Markdown table with the ratios
// the project's targets are stated in, each measured against a baseline in the same run:
//
//   - carik.Parse at most 0.5x the floor (one encoding/json pass into the generated structs,
//     no validation) on each fixture, with no more allocations than the floor;
//   - carik.NewReceiver (Standard Webhooks verification on) at least 95% of the deliveries/s
//     of a bare net/http handler that only decodes the JSON.
//
// Built with GOEXPERIMENT=jsonv2, it adds encoding/json/v2's strict syntax check as context.
//
// Each benchmark runs -rounds times, interleaved with its baseline; a ratio is the median of the
// rounds' ratios, so that a load that changes between rounds affects both of its sides alike.
// It exits 1 when a target is missed.
//
//	go run ./carik/internal/benchmark/table -rounds 5
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

	"github.com/CarikBot/carik-go/carik/internal/benchmark"
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

// median runs each benchmark rounds times, interleaved, and returns their median ns/op, the
// median over the rounds of each one's ratio to the first (paired: a round's load affects both
// sides of its ratio alike), and their allocations per op.
func median(rounds int, benches []func(*testing.B)) (ns, ratios []float64, allocs []int64) {
	samples := make([][]float64, len(benches))
	allocs = make([]int64, len(benches))
	for range rounds {
		for i, bench := range benches {
			r := testing.Benchmark(bench)
			samples[i] = append(samples[i], float64(r.T.Nanoseconds())/float64(r.N))
			allocs[i] = r.AllocsPerOp()
		}
	}
	ns = make([]float64, len(benches))
	ratios = make([]float64, len(benches))
	for i, s := range samples {
		per := make([]float64, len(s))
		for k := range s {
			per[k] = s[k] / samples[0][k]
		}
		sort.Float64s(per)
		ratios[i] = per[len(per)/2]
		sorted := append([]float64(nil), s...)
		sort.Float64s(sorted)
		ns[i] = sorted[len(sorted)/2]
	}
	return ns, ratios, allocs
}

// Targets of carik.Parse against the floor.
const (
	targetRatio = 0.5
	goalRatio   = 0.3
)

func parseTable(rounds int) bool {
	decoders := benchmark.Decoders()
	fmt.Print("| fixture |")
	for _, d := range decoders {
		fmt.Printf(" %s |", d.Name)
	}
	fmt.Printf(" carik / floor (target <= %.1fx, goal %.1fx) | carik allocs <= floor's |\n|---|", targetRatio, goalRatio)
	for range decoders {
		fmt.Print("---|")
	}
	fmt.Println("---|---|")
	ok := true
	carikAt := 0
	for i, d := range decoders {
		if d.Name == "carik_Parse" {
			carikAt = i
		}
	}
	for _, f := range benchmark.Fixtures() {
		var benches []func(*testing.B)
		for _, d := range decoders {
			benches = append(benches, func(b *testing.B) { benchmark.Parse(b, d, f) })
		}
		ns, ratios, allocs := median(rounds, benches)
		fmt.Printf("| %s (%d B) |", f.Name, len(f.Body))
		for i := range decoders {
			if i == 0 {
				fmt.Printf(" %s, %d allocs |", dur(ns[i]), allocs[i])
				continue
			}
			fmt.Printf(" %s (%.2fx), %d allocs |", dur(ns[i]), ratios[i], allocs[i])
		}
		ratio := ratios[carikAt]
		allocOK := allocs[carikAt] <= allocs[0]
		ok = ok && ratio <= targetRatio && allocOK
		fmt.Printf(" %.2fx %s | %d vs %d %s |\n", ratio, mark(ratio <= targetRatio), allocs[carikAt], allocs[0], mark(allocOK))
	}
	fmt.Println()
	for _, d := range decoders {
		fmt.Printf("- `%s`: %s.\n", d.Name, d.What)
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
	ns, ratios, _ := median(rounds, benches)
	bare, carik := 1e9/ns[0], 1e9/ns[1]
	ratio := 1 / ratios[1] // deliveries/s: the inverse of the paired time ratio
	fmt.Println("| receiver, 165 B message over loopback keep-alive, 4x GOMAXPROCS clients | deliveries/s |")
	fmt.Println("|---|---|")
	fmt.Printf("| bare net/http handler that only decodes the JSON | %.0f |\n", bare)
	fmt.Printf("| carik.NewReceiver (Standard Webhooks verification, validation, Router) | %.0f |\n", carik)
	fmt.Printf("| carik / bare (target >= 0.95) | %.2f %s |\n", ratio, mark(ratio >= 0.95))
	return ratio >= 0.95
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
