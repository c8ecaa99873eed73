//go:build !race

package carik_test

// raceEnabled tells timing tests that the race detector slows everything several times.
const raceEnabled = false
