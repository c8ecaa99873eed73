package carik_test

import (
	"math/rand"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The differential tests hold Parse to the reference validator (santhosh-tekuri/jsonschema v5
// with the published schemas, see oracle_test.go): same verdict, same violation paths, in both
// modes, on every input it applies to.

func TestDifferentialFixtures(t *testing.T) {
	t.Parallel()
	o := newOracle(t)
	compared := 0
	for _, f := range loadFixtures(t) {
		for _, strict := range []bool{false, true} {
			diff, applies := o.differ(t, f.body, strict)
			if applies {
				compared++
			}
			assert.Empty(t, diff, "%s", f.path)
		}
	}
	t.Logf("%d fixture bodies x modes compared with v5", compared)
	assert.Greater(t, compared, 60)
}

func TestDifferentialStructured(t *testing.T) {
	t.Parallel()
	n := 20_000
	if testing.Short() {
		n = 2_000
	}
	if s := os.Getenv("CARIK_DIFFERENTIAL_N"); s != "" { // a longer run by hand
		n, _ = strconv.Atoi(s)
	}
	o := newOracle(t)
	r := rand.New(rand.NewSource(9))
	compared, skipped, failures := 0, 0, 0
	for range n {
		body := []byte(randPayload(r))
		for _, strict := range []bool{false, true} {
			diff, applies := o.differ(t, body, strict)
			if !applies {
				skipped++
				continue
			}
			compared++
			if diff != "" {
				failures++
				if failures <= 10 {
					t.Errorf("%s\n%s", body, diff)
				}
			}
		}
	}
	t.Logf("structured payloads: %d compared with v5, %d outside its reach (malformed or beyond the number limits)", compared, skipped)
}

// A structure-aware generator: payloads of every event type with random members, value types,
// escapes, number edge cases, key orders, unknown and duplicate members, so that most bodies are
// valid JSON and exercise the schema's rules rather than the syntax.

func randString(r *rand.Rand) string {
	parts := []string{"", "a", "read", "whatsapp", "paid", "connected", "message", `\u0000`, `\"`, `\\`, `\/`, `\n`, "é", "😀",
		`\ud83d\ude00`, `\ud800`, `\u00e9`, "~", "/", "x y", `\u0072ead`}
	var b strings.Builder
	b.WriteByte('"')
	for n := r.Intn(3); n > 0; n-- {
		b.WriteString(parts[r.Intn(len(parts))])
	}
	b.WriteByte('"')
	return b.String()
}

func randNumber(r *rand.Rand) string {
	nums := []string{"0", "-0", "1", "-1", "150000", "12.5", "1e3", "1E+2", "-2.5e-3", "1000000000000000", "-1000000000000000",
		"1000000000000000.0000001", "-1000000000000000.0000001", "1000000000000001", "999999999999999.9", "1e15", "1.0e15", "10e14",
		"1e16", "-1e16", "1e308", "1e309", "-1e999", "1e-400", "0e5000", "123456789012345678", strings.Repeat("9", 65),
		"0." + strings.Repeat("1", 63), "100000000000000000000e-5", "0.000000000000001e30"}
	return nums[r.Intn(len(nums))]
}

func randValue(r *rand.Rand, depth int) string {
	switch k := r.Intn(8); {
	case k == 0:
		return "null"
	case k == 1:
		return []string{"true", "false"}[r.Intn(2)]
	case k == 2 || k == 3:
		return randString(r)
	case k == 4 || k == 5:
		return randNumber(r)
	case k == 6 && depth < 3:
		var items []string
		for n := r.Intn(4); n > 0; n-- {
			items = append(items, randValue(r, depth+1))
		}
		return "[" + strings.Join(items, ",") + "]"
	default:
		if depth >= 3 {
			return "{}"
		}
		return randObject(r, []string{"a", "b", `\u0061`, "c~/d", "A"}, depth+1)
	}
}

func randObject(r *rand.Rand, keys []string, depth int) string {
	var members []string
	for n := r.Intn(len(keys) + 2); n > 0; n-- {
		k := keys[r.Intn(len(keys))]
		members = append(members, `"`+k+`":`+randValue(r, depth))
	}
	return "{" + strings.Join(members, ",") + "}"
}

// member is key with a good value most of the time, any value otherwise; now and then the key
// is written in another case (refused by the SDK, a deliberate difference from v5).
func member(r *rand.Rand, key, good string, depth int) string {
	if r.Intn(40) == 0 {
		key = strings.ToUpper(key[:1]) + key[1:]
	}
	if r.Intn(6) == 0 {
		return `"` + key + `":` + randValue(r, depth)
	}
	return `"` + key + `":` + good
}

func randPayload(r *rand.Rand) string {
	events := []string{`"message"`, `"payment"`, `"device"`, `"module"`, `"order"`, `""`, `5`, `null`, `"mess\u0061ge"`, `"Message"`}
	event := events[r.Intn(len(events))]
	if r.Intn(3) > 0 {
		event = events[r.Intn(4)]
	}
	var data []string
	switch {
	case strings.Contains(event, "pay"):
		data = []string{
			member(r, "transaction_id", `"T1"`, 2), member(r, "invoice_id", `"I"`, 2), member(r, "amount", randNumber(r), 2),
			member(r, "currency", `"IDR"`, 2), member(r, "status", `"paid"`, 2), member(r, "payment_method", `"qris"`, 2),
			member(r, "items", `[{"sku":"S","qty":1,"tags":["a"]}]`, 2), member(r, "customer", `{"name":"B"}`, 2),
		}
	case strings.Contains(event, "device"):
		data = []string{
			member(r, "device_id", randString(r), 2), member(r, "status", []string{`"connected"`, `"disconnected"`, `"gone"`, `""`}[r.Intn(4)], 2),
			member(r, "battery", randNumber(r), 2),
		}
	case strings.Contains(event, "module"):
		data = []string{member(r, "module", `"survey"`, 2), member(r, "answers", randObject(r, []string{"q1", "q2"}, 2), 2), member(r, "n", randNumber(r), 2)}
	default:
		data = []string{
			member(r, "message_id", `"m"`, 2), member(r, "status", []string{`"read"`, `"seen"`, `"re\u0061d"`, `""`}[r.Intn(4)], 2),
			member(r, "queue_id", `"q"`, 2), member(r, "phone", `"62"`, 2), member(r, "extra", randValue(r, 2), 2),
			member(r, `a/b~c`, `1`, 2),
		}
	}
	r.Shuffle(len(data), func(i, j int) { data[i], data[j] = data[j], data[i] })
	data = data[:r.Intn(len(data)+1)]
	if r.Intn(10) == 0 && len(data) > 0 {
		data = append(data, data[r.Intn(len(data))]) // a duplicate key
	}
	dataVal := "{" + strings.Join(data, ",") + "}"
	if r.Intn(12) == 0 {
		dataVal = randValue(r, 1)
	}
	env := []string{
		member(r, "event", event, 1), member(r, "platform", `"whatsapp"`, 1), member(r, "vendor_id", `"v"`, 1),
		member(r, "channel_id", `"c"`, 1), `"data":` + dataVal, member(r, "other", randValue(r, 1), 1),
	}
	r.Shuffle(len(env), func(i, j int) { env[i], env[j] = env[j], env[i] })
	if r.Intn(8) == 0 {
		env = env[:r.Intn(len(env)+1)]
	}
	return "{" + strings.Join(env, ",") + "}"
}

// FuzzStructured is the structure-aware fuzz target: a payload from the generator above for the
// fuzzed seed, with the fuzzed bytes spliced in at the fuzzed place, must get v5's verdict and
// violation paths in both modes.
func FuzzStructured(f *testing.F) {
	o := newOracle(f)
	for seed := range int64(8) {
		f.Add(seed, uint16(0), []byte(nil))
	}
	f.Add(int64(3), uint16(20), []byte(`"x":1,`))
	f.Fuzz(func(t *testing.T, seed int64, at uint16, splice []byte) {
		body := []byte(randPayload(rand.New(rand.NewSource(seed))))
		if len(splice) > 0 {
			i := int(at) % (len(body) + 1)
			body = append(body[:i:i], append(splice, body[i:]...)...)
		}
		for _, strict := range []bool{false, true} {
			if diff, _ := o.differ(t, body, strict); diff != "" {
				t.Fatalf("%s\n%s", body, diff)
			}
		}
	})
}
