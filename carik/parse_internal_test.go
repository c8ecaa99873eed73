package carik

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// referenceFault is numberFault's rule written plainly, with ParseFloat for every number.
func referenceFault(n string) int {
	if len(n) > MaxNumberLength {
		return numberTooLong
	}
	mantissa, exponent, _ := strings.Cut(strings.ToLower(n), "e")
	nonzero := strings.Trim(mantissa, "-0.") != ""
	if len(strings.TrimLeft(strings.TrimLeft(exponent, "+-"), "0")) > 3 {
		if nonzero {
			return numberOutOfRange
		}
		return numberHugeExponent
	}
	if f, err := strconv.ParseFloat(n, 64); err != nil || (f == 0 && nonzero) {
		return numberOutOfRange
	}
	return numberOK
}

// numberFault's shortcut by decimal magnitude agrees with ParseFloat everywhere, the edges of
// float64's range included.
func TestNumberFaultAgreesWithParseFloat(t *testing.T) {
	t.Parallel()
	numbers := []string{"0", "-0", "1e308", "1.7976931348623157e308", "1.7976931348623159e308", "1.8e308",
		"17976931348623157e292", "0.0001e312", "1e309", "-1e309", "1e-324", "2.4e-324", "2.5e-324", "4.9e-324",
		"1e-323", "0.01e-322", "100e-326", "1e-325", "0e999", "0e1000", "0.000e-5000", "1e999", "1e1000", "1e-999",
		"123456789012345678", "0.1", "-12.5e-3", "1E+2", "1e+0308", "00.5", "9e-400"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20_000 {
		var b strings.Builder
		if r.IntN(2) == 0 {
			b.WriteString("-")
		}
		b.WriteString(strings.Repeat("0", r.IntN(2)))
		b.WriteString(strconv.Itoa(r.IntN(1000)))
		if r.IntN(2) == 0 {
			b.WriteString("." + strings.Repeat("0", r.IntN(30)) + strconv.Itoa(r.IntN(1000)))
		}
		fmt.Fprintf(&b, "e%d", r.IntN(700)-350)
		numbers = append(numbers, b.String())
	}
	for _, n := range numbers {
		assert.Equal(t, referenceFault(n), numberFault(n), n)
	}
}

// Away from the very edge of float64's range (where ParseFloat's range error allocates), a
// refused number costs no allocation, so that a body of them costs time, not memory.
func TestNumberFaultAllocatesNothing(t *testing.T) {
	for _, n := range []string{"1e999", "-1e400", "1e-400", "-0.5e-330", "12345678901234567890", "1.5e300", "0e-999"} {
		assert.Zero(t, testing.AllocsPerRun(100, func() { numberFault(n) }), n)
	}
}
